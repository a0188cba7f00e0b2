package io.mooseng.cli;

/** The MooseNG release this build is ({@code mooseng --version}, what a mount reports of itself). */
public final class Version {
    public static final String NUMBER = "0.1.0";

    private Version() {
    }
}
