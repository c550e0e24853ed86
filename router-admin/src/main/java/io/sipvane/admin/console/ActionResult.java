package io.sipvane.admin.console;

/** What an action did, shown next to its control: a confirmation, or the API's refusal. */
record ActionResult(boolean ok, String message) {
    static ActionResult ok(String message) {
        return new ActionResult(true, message);
    }

    static ActionResult refused(String message) {
        return new ActionResult(false, message);
    }
}
