package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What a resource answers: a status, a JSON body ({@code null} for 204) and extra headers.
 * The handler adds {@code api_id} to every body.
 */
record ApiResponse(int status, ObjectNode body, Map<String, String> headers) {

    static ApiResponse ok(ObjectNode body) {
        return new ApiResponse(200, body, Map.of());
    }

    static ApiResponse created(ObjectNode body) {
        return new ApiResponse(201, body, Map.of());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
