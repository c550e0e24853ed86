package io.sipvane.core.model;

import java.util.Objects;

/**
 * An API account: the owner of trunks and origination URIs and the credentials that manage
 * them. The token is either in the config ({@code auth_token}) or in an environment variable
 * ({@code auth_token_env}); exactly one of the two is set. An {@code operator} account may
 * also claim the default trunk over the API (tenants may not: it takes every call nobody
 * else claimed).
 */
public record Account(String authId, String authToken, String authTokenEnv, String name, boolean operator) {

    public Account {
        Checks.notBlank(authId, "auth_id");
        if ((authToken == null) == (authTokenEnv == null)) {
            throw new IllegalArgumentException(
                    "auth_token: account " + authId + " needs exactly one of auth_token and auth_token_env");
        }
        if (authTokenEnv != null) {
            Checks.notBlank(authTokenEnv, "auth_token_env");
        }
    }

    /** A tenant account (not an operator). */
    public Account(String authId, String authToken, String authTokenEnv, String name) {
        this(authId, authToken, authTokenEnv, name, false);
    }

    public static Account withToken(String authId, String token) {
        return new Account(authId, token, null, null);
    }

    /** The secret to compare credentials against, or {@code null} when its variable is unset. */
    public String resolveToken() {
        return authToken != null ? authToken : System.getenv(authTokenEnv);
    }

    @Override
    public String toString() {
        // never print the token
        return "Account[authId=" + authId + ", name=" + Objects.toString(name, "") + ", operator=" + operator + "]";
    }
}
