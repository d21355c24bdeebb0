package org.connectorsdk.cortexxdr.simulator;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where and when the simulator misbehaves: rules of (path, request numbers, {@link TenantFault}). Request
 * numbers count from 1 per path, in arrival order, exactly like
 * {@link CortexXdrSimulator#requestCount(String)}; paths are compared without a trailing slash.
 * The first rule that matches a request wins. Rules can be added while the simulator runs.
 *
 * <pre>{@code
 * simulator.faults()
 *         .onPath("/public_api/v1/endpoints/get_endpoint").requests(7, 9).respond(TenantFault.status(503))
 *         .onPath("/public_api/v1/endpoints/get_endpoint").fromRequest(20).respond(TenantFault.unauthorized());
 * }</pre>
 */
public final class FaultPlan {

    private record Rule(String path, long from, long to, TenantFault fault) {
        boolean matches(String requestPath, long number) {
            return (path == null || path.equals(requestPath)) && number >= from && number <= to;
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** An empty plan: no faults. */
    static FaultPlan create() {
        return new FaultPlan();
    }

    /** Starts a rule for one API path, e.g. {@code /public_api/v1/endpoints/get_endpoint}. */
    public PathRule onPath(String path) {
        Objects.requireNonNull(path, "path is null");
        return new PathRule(CortexXdrSimulator.normalizePath(path));
    }

    /** Starts a rule for every path; request numbers then count per path all the same. */
    public PathRule onAnyPath() {
        return new PathRule(null);
    }

    /** Removes every rule. */
    public FaultPlan clear() {
        rules.clear();
        return this;
    }

    /** Number of rules in the plan. */
    public int size() {
        return rules.size();
    }

    Optional<TenantFault> match(String path, long requestNumber) {
        for (Rule rule : rules) {
            if (rule.matches(path, requestNumber)) {
                return Optional.of(rule.fault());
            }
        }
        return Optional.empty();
    }

    /** The path half of a rule: choose the request numbers next. */
    public final class PathRule {
        private final String path;

        private PathRule(String path) {
            this.path = path;
        }

        /** Only the {@code n}-th request (1-based). */
        public Target request(long n) {
            return requests(n, n);
        }

        /** Requests {@code from} to {@code to}, both included (1-based). */
        public Target requests(long from, long to) {
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("FaultPlan request range must satisfy 1 <= from <= to, got "
                        + from + ".." + to);
            }
            return new Target(path, from, to);
        }

        /** The {@code n}-th request and every later one. */
        public Target fromRequest(long n) {
            return requests(n, Long.MAX_VALUE);
        }

        /** Every request. */
        public Target always() {
            return requests(1, Long.MAX_VALUE);
        }
    }

    /** The request half of a rule: say which fault answers. */
    public final class Target {
        private final String path;
        private final long from;
        private final long to;

        private Target(String path, long from, long to) {
            this.path = path;
            this.from = from;
            this.to = to;
        }

        /** Completes the rule; returns the plan for more rules. */
        public FaultPlan respond(TenantFault fault) {
            Objects.requireNonNull(fault, "fault is null");
            rules.add(new Rule(path, from, to, fault));
            return FaultPlan.this;
        }
    }
}
