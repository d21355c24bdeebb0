package org.connectorsdk.cortexxdr.simulator;

/**
 * A request the simulator refuses, answered with the vendor's error envelope. Thrown inside the
 * request pipeline only; never leaves the simulator.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errMsg;
    private final transient Object errExtra;

    ApiError(int status, String errMsg, Object errExtra) {
        super(errMsg, null, false, false);
        this.status = status;
        this.errMsg = errMsg;
        this.errExtra = errExtra;
    }

    static ApiError badRequest(String errExtra) {
        return new ApiError(400, Replies.BAD_REQUEST_MSG, errExtra);
    }

    static ApiError serverError(String errExtra) {
        return new ApiError(500, Replies.SERVER_ERROR_MSG, errExtra);
    }

    Reply toReply() {
        return Reply.json(status, Replies.envelope(status, errMsg, errExtra));
    }
}
