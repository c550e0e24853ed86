package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What a resource answers: a status, a JSON body ({@code null} for 204), extra headers, and
 * whether the handler adds {@code api_id} to the body. Vobiz objects and lists go out exactly
 * as the Vobiz SDKs model them (their models forbid unknown keys), so they carry none.
 */
record ApiResponse(int status, ObjectNode body, Map<String, String> headers, boolean withApiId) {

    ApiResponse(int status, ObjectNode body, Map<String, String> headers) {
        this(status, body, headers, true);
    }

    static ApiResponse ok(ObjectNode body) {
        return new ApiResponse(200, body, Map.of());
    }

    static ApiResponse created(ObjectNode body) {
        return new ApiResponse(201, body, Map.of());
    }

    /** A body sent exactly as given, without {@code api_id}. */
    static ApiResponse exact(int status, ObjectNode body) {
        return new ApiResponse(status, body, Map.of(), false);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
