package org.connectorsdk.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.connectorsdk.api.ConfigProblem;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorDescriptor;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.runtime.ConnectorRegistry;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.InstanceFiles;

import io.javalin.http.Context;

/** {@code /api/v1/connectors}: what is installed, its setup form, validation and the connection test. */
final class ConnectorEndpoints {
    private final ConnectorRegistry registry;
    private final ConnectorRuntime runtime;

    ConnectorEndpoints(ConnectorRegistry registry, ConnectorRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    void list(Context ctx) {
        List<Map<String, Object>> out = registry.connectors().stream().map(c -> {
            ConnectorDescriptor d = c.descriptor();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("version", d.version());
            m.put("vendor", d.vendor());
            m.put("product", d.product());
            m.put("category", d.category());
            return m;
        }).toList();
        Json.write(ctx, 200, out);
    }

    void get(Context ctx) {
        Json.write(ctx, 200, ConnectorDocument.describe(connector(ctx)));
    }

    /** The body is the config object the form would submit; every problem comes back, each naming its field. */
    void validate(Context ctx) {
        List<ConfigProblem> problems = connector(ctx).configSpec().validate(Json.object(ctx));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", problems.isEmpty());
        out.put("problems", problems.stream().map(p -> Map.of("field", p.field(), "message", p.message())).toList());
        Json.write(ctx, 200, out);
    }

    /**
     * Runs the connection checks of the instance in the body without saving it. The answer is
     * JSON Lines: one line per check as it completes, then {@code {"allPassed": ...}}.
     */
    void test(Context ctx) {
        Connector connector = connector(ctx);
        InstanceFiles.Content content = InstanceFiles.parse(Json.objectText(ctx), "The request body");
        if (!content.definition().connectorId().equals(connector.descriptor().id())) {
            throw new ApiError(400, ErrorKind.CONFIGURATION, "The request body is an instance of connector '"
                    + content.definition().connectorId() + "', not '" + connector.descriptor().id() + "'",
                    "Post it to /api/v1/connectors/" + content.definition().connectorId() + "/test");
        }
        ctx.status(200).contentType("application/x-ndjson");
        CheckReport report = runtime.test(content.definition(), result -> Json.writeLine(ctx, Views.check(result)));
        Json.writeLine(ctx, Map.of("allPassed", report.allPassed()));
    }

    private Connector connector(Context ctx) {
        String id = ctx.pathParam("id");
        return registry.find(id).orElseThrow(() -> ApiError.notFound("No connector with id '" + id
                + "' is installed", "Use one of: " + registry.ids()));
    }
}
