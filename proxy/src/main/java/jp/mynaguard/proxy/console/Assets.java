package jp.mynaguard.proxy.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The console's stylesheet and script, served by the gateway itself (no CDN: the console works
 * on an isolated network, and a page that shows held mail loads nothing from elsewhere). URLs
 * carry a content hash, so browsers may cache them for long and still get a new version at once.
 */
final class Assets {
    private record Asset(String type, byte[] bytes) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            "console.css", load("console.css", "text/css; charset=utf-8"),
            "console.js", load("console.js", "text/javascript; charset=utf-8"));
    static final String VERSION = version();

    private Assets() {
    }

    /** {@code /assets/NAME?v=VERSION}. */
    static String url(String name) {
        return "/assets/" + name + "?v=" + VERSION;
    }

    /** The asset for {@code /assets/NAME}, or {@code null}. */
    static ConsoleResponse serve(String path) {
        Asset a = ASSETS.get(path.substring("/assets/".length()));
        if (a == null) {
            return null;
        }
        return new ConsoleResponse(200, a.type, a.bytes).header("Cache-Control", "public, max-age=86400");
    }

    private static Asset load(String name, String type) {
        try (InputStream in = Assets.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing console asset " + name);
            }
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String version() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            ASSETS.keySet().stream().sorted().forEach(k -> d.update(ASSETS.get(k).bytes));
            return HexFormat.of().formatHex(d.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
