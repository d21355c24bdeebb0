package org.connectorsdk.runtime.internal.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.JsonReply;

/**
 * Parses reply bodies into the api's plain value trees, so plugins read JSON without a JSON
 * library of their own. A body that is not JSON is named by its content type and size only:
 * its text (an HTML page, a proxy's message) may echo what the request carried.
 */
final class JsonReplies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonReplies() {
    }

    static JsonReply parse(HttpTransport.Response response) {
        try {
            return new JsonReply(JSON.readValue(response.body(), Object.class));
        } catch (IOException e) {
            String where = e instanceof JsonParseException p && p.getLocation() != null
                    ? ", at line " + p.getLocation().getLineNr() + " column " + p.getLocation().getColumnNr() : "";
            String type = response.contentType().isEmpty() ? "no content type" : response.contentType();
            throw new ConnectorException(ErrorKind.BAD_RESPONSE, "The reply (HTTP " + response.status() + ", " + type
                    + ", " + response.body().length + " bytes) is not valid JSON" + where,
                    "Check that the base URL points at the vendor's API, not a web page, login portal or proxy");
        }
    }
}
