/**
 * Transform maps as data: the engine that compiles a map against the target model
 * ({@link org.connectorsdk.runtime.transform.TransformEngine}, {@link org.connectorsdk.runtime.transform.CompiledMap}),
 * the named converters (built-in, and a connector's own {@link org.connectorsdk.api.Converter}s
 * as {@code <connector id>:<name>}), the target model read from its JSON Schemas
 * ({@link org.connectorsdk.runtime.transform.TargetModel}), and maps as JSON
 * ({@link org.connectorsdk.runtime.transform.TransformMapJson}).
 *
 * <p>Supported API, for the CLI's {@code transform} command and the testkit's map assertions.
 *
 * <p>May use: nothing else of the runtime (connector-api, Jackson and the JDK only).
 */
package org.connectorsdk.runtime.transform;
