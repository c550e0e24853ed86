package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.sipvane.core.model.Account;
import java.util.List;
import java.util.Map;

/**
 * One authenticated API request addressed to a resource of {@code account}; {@code id} is
 * the object id from the path or {@code null} for the collection.
 */
record ApiRequest(HttpMethod method, Account account, String id, Map<String, List<String>> query, byte[] body) {

    String accountId() {
        return account.authId();
    }

    ObjectNode json() {
        return Json.parseObject(body);
    }
}
