package io.sipvane.sip;

/** Entry point of the sipvane server. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("sipvane: the SIP server is not built yet");
        System.exit(2);
    }
}
