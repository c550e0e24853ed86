package io.sipvane.admin;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One flavour's collection and item endpoints of one kind of object. */
interface Resource {

    /** Methods allowed on the collection ({@code id == null}) or on an item. */
    Set<HttpMethod> allowed(boolean item);

    /** Answers a request whose method is allowed; failures are {@link ApiException}s. */
    CompletableFuture<ApiResponse> handle(ApiRequest request);
}
