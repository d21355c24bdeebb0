/**
 * What a plugin author uses to prove a connector: a harness that drives it through the real
 * runtime, AssertJ assertions that say what they found, an HTTPS fixture server with fault
 * injection and a scrubbing record mode, and a contract suite every connector should pass.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FixtureServer server = FixtureServer.start().loadRecorded("fixtures/acme");
 *
 * @Test
 * void syncsEveryPage() {
 *     SyncResult result = ConnectorTestKit.connector("acme")
 *             .config(Map.of("apiToken", "test-token"))
 *             .against(server)
 *             .sync();
 *     ConnectorAssertions.assertThat(result).isProcessed().hasRecords("findings", 3)
 *             .records("findings").allConformTo("finding");
 * }
 * }</pre>
 *
 * <p>Entry points: {@link org.connectorsdk.testkit.ConnectorTestKit},
 * {@link org.connectorsdk.testkit.ConnectorAssertions}, {@link org.connectorsdk.testkit.FixtureServer},
 * {@link org.connectorsdk.testkit.FixtureRecorder}, {@link org.connectorsdk.testkit.ConnectorContractTest}.
 */
package org.connectorsdk.testkit;
