package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.runtime.internal.plugin.PluginClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorRegistryTest {
    private static final String PLUGIN_CLASS = "com.example.plugin.AcmePlugin";

    @TempDir
    Path tmp;

    @Test
    void findsAConnectorRegisteredWithAutoServiceOnTheClassPath() {
        ConnectorRegistry registry = ConnectorRegistry.fromClassPath();

        assertThat(registry.find(FakeConnector.ID)).get().isInstanceOf(FakeConnector.class);
        assertThat(registry.ids()).contains(FakeConnector.ID).isSorted();
        assertThat(registry.source(FakeConnector.ID)).get().asString()
                .startsWith(FakeConnector.class.getName() + " from file:")
                .contains("test-classes");
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void aRegistryOfGivenConnectorsHoldsThemAloneAndRefusesTwoWithOneId() {
        FakeConnector given = new FakeConnector();
        ConnectorRegistry registry = ConnectorRegistry.of(given);

        assertThat(registry.ids()).containsExactly(FakeConnector.ID);
        assertThat(registry.find(FakeConnector.ID)).containsSame(given);
        assertThatThrownBy(() -> ConnectorRegistry.of(given, new FakeConnector()))
                .isInstanceOf(ConnectorException.class)
                .hasMessageContaining("Connector id '" + FakeConnector.ID + "' is provided more than once");
    }

    @Test
    void unknownIdNamesTheKnownOnes() {
        ConnectorRegistry registry = ConnectorRegistry.fromClassPath();

        assertThat(registry.find("nope")).isEmpty();
        assertThatThrownBy(() -> registry.get("nope"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.remediation()).contains("Use one of the known ids; 'connectors list' shows them");
                })
                .hasMessage("Unknown connector 'nope'; known: " + String.join(", ", registry.ids()));
    }

    @Test
    void loadsAPluginJarFromThePluginDirectoryInItsOwnClassLoader() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        Path jar = PluginJars.build(plugins.resolve("acme.jar"),
                Map.of(PLUGIN_CLASS, PluginJars.connectorSource(PLUGIN_CLASS, "acme", "")), List.of(PLUGIN_CLASS));

        ConnectorRegistry registry = ConnectorRegistry.withPluginDirectory(plugins);

        Connector acme = registry.get("acme");
        assertThat(acme.getClass().getName()).isEqualTo(PLUGIN_CLASS);
        assertThat(acme.descriptor().version()).isEqualTo("2.0.0");
        // the plugin's own loader, sharing the api with the runtime
        assertThat(acme.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(acme.getClass().getClassLoader().getParent()).isSameAs(Connector.class.getClassLoader());
        assertThat(acme).isInstanceOf(Connector.class);
        assertThat(registry.source("acme")).contains(PLUGIN_CLASS + " from plugin jar " + jar.toAbsolutePath());
        // class path connectors are still there, found once
        assertThat(registry.ids()).contains("acme", FakeConnector.ID);
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void theSamePluginTwiceIsAnErrorNamingBothJars() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        Path first = PluginJars.build(plugins.resolve("acme-1.jar"),
                Map.of(PLUGIN_CLASS, PluginJars.connectorSource(PLUGIN_CLASS, "acme", "")), List.of(PLUGIN_CLASS));
        Path second = Files.copy(first, plugins.resolve("acme-2.jar"));

        assertThatThrownBy(() -> ConnectorRegistry.withPluginDirectory(plugins))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.remediation())
                            .contains("Keep only one of them on the class path or in the plugin directory");
                })
                .hasMessage("Connector id 'acme' is provided more than once: "
                        + PLUGIN_CLASS + " from plugin jar " + first.toAbsolutePath() + " and "
                        + PLUGIN_CLASS + " from plugin jar " + second.toAbsolutePath());
    }

    @Test
    void aPluginTakingAClassPathIdIsAnErrorNamingBothSources() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        Path jar = PluginJars.build(plugins.resolve("impostor.jar"),
                Map.of(PLUGIN_CLASS, PluginJars.connectorSource(PLUGIN_CLASS, FakeConnector.ID, "")),
                List.of(PLUGIN_CLASS));

        assertThatThrownBy(() -> ConnectorRegistry.withPluginDirectory(plugins))
                .isInstanceOf(ConnectorException.class)
                .hasMessageStartingWith("Connector id 'fake' is provided more than once: "
                        + FakeConnector.class.getName() + " from file:")
                .hasMessageEndingWith(" and " + PLUGIN_CLASS + " from plugin jar " + jar.toAbsolutePath());
    }

    @Test
    void brokenProvidersAreReportedWithTheirCauseAndTheOthersStillLoad() throws Exception {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        String throwing = "com.example.plugin.ThrowingPlugin";
        String noDefault = "com.example.plugin.NoDefaultConstructorPlugin";
        String missing = "com.example.plugin.MissingPlugin";
        String unlinked = "com.example.plugin.UnlinkedPlugin";
        String absentInterface = "com.example.plugin.Extra";
        String badDescriptor = "com.example.plugin.BadDescriptorPlugin";
        PluginJars.build(plugins.resolve("mixed.jar"), Map.of(
                        throwing, PluginJars.connectorSource(throwing, "throwing",
                                "public ThrowingPlugin() { throw new IllegalStateException(\"licence file not found\"); }"),
                        noDefault, PluginJars.connectorSource(noDefault, "no-default",
                                "public NoDefaultConstructorPlugin(String region) { }"),
                        absentInterface, "package com.example.plugin; public interface Extra { }",
                        unlinked, PluginJars.connectorSource(unlinked, "unlinked", "")
                                .replace("implements Connector", "implements Connector, Extra"),
                        badDescriptor, PluginJars.connectorSource(badDescriptor, "Not A Valid Id", ""),
                        PLUGIN_CLASS, PluginJars.connectorSource(PLUGIN_CLASS, "acme", "")),
                List.of(throwing, missing, noDefault, unlinked, badDescriptor, PLUGIN_CLASS),
                Set.of(absentInterface));

        ConnectorRegistry registry = ConnectorRegistry.withPluginDirectory(plugins);

        assertThat(registry.ids()).contains("acme", FakeConnector.ID)
                .doesNotContain("throwing", "no-default", "unlinked");
        String source = plugins.resolve("mixed.jar").toAbsolutePath().toString();
        assertThat(registry.problems()).extracting(ConnectorRegistry.LoadProblem::source)
                .containsOnly(source).hasSize(5);
        assertThat(registry.problems()).extracting(ConnectorRegistry.LoadProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("Provider " + throwing + " could not be instantiated")
                        .endsWith("(caused by java.lang.IllegalStateException: licence file not found)"),
                m -> assertThat(m).contains("Provider " + missing + " not found"),
                m -> assertThat(m).contains(noDefault).contains("Unable to get public no-arg constructor"),
                m -> assertThat(m).contains("NoClassDefFoundError").contains("com/example/plugin/Extra"),
                m -> assertThat(m).isEqualTo(badDescriptor + " failed to give its descriptor: "
                        + "java.lang.IllegalArgumentException: Invalid connector id: 'Not A Valid Id' "
                        + "(expected [a-z][a-z0-9-]*)"));
        assertThat(registry.problems().get(0).cause()).hasRootCauseMessage("licence file not found");
    }

    @Test
    void aMissingPluginDirectoryIsAConfigurationError() {
        Path missing = tmp.resolve("no-such-dir");

        assertThatThrownBy(() -> ConnectorRegistry.withPluginDirectory(missing))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessage("Plugin directory " + missing.toAbsolutePath() + " does not exist or is not a directory");
    }
}
