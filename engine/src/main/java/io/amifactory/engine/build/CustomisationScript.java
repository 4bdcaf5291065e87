package io.amifactory.engine.build;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The user data a build instance boots with when the customisation is a script (userData) or a script URL
 * (bootstrapUrl): a bash wrapper that runs the user's script, writes its exit status to the serial console
 * between markers carrying the build id, removes the script and cloud-init's copy of the user data (so that
 * neither is baked into the image), and powers the instance off. docs/building.md describes the protocol.
 */
final class CustomisationScript {
    private static final String PREFIX = "AMIFACTORY:";

    private CustomisationScript() {
    }

    static String startMarker(String buildId) {
        return PREFIX + buildId + ":START";
    }

    /** Matches the exit marker of this build; group 1 is the exit status. */
    static Pattern exitMarker(String buildId) {
        return Pattern.compile(Pattern.quote(PREFIX + buildId + ":EXIT:") + "(\\d{1,3})");
    }

    static boolean isMarker(String line, String buildId) {
        return line.contains(PREFIX + buildId + ":");
    }

    /** Wraps the user's script (run with its own #! interpreter, or /bin/sh when it has none). */
    static String forScript(String buildId, String script) {
        String body = script.replace("\r\n", "\n");
        if (!body.endsWith("\n")) {
            body = body + "\n";
        }
        String delimiter = delimiter(buildId, body);
        return """
                #!/bin/bash
                # AMI Factory build %1$s: runs the customisation below, reports its exit status on the
                # serial console, removes the script and the user data, and powers the instance off.
                amifactory_report() {
                  for c in /dev/console /dev/ttyS0; do
                    [ -w "$c" ] && printf '\\n%%s\\n' "$1" >> "$c" 2>/dev/null
                  done
                  return 0
                }
                umask 077
                work=$(mktemp -d /var/tmp/amifactory.XXXXXX)
                cat > "$work/customise" <<'%2$s'
                %3$s%2$s
                chmod 700 "$work/customise"
                if [ -w /dev/console ]; then out=/dev/console; else out=/dev/stdout; fi
                amifactory_report "%4$s"
                if [ "$(head -c 2 "$work/customise")" = '#!' ]; then
                  "$work/customise" >> "$out" 2>&1 < /dev/null
                else
                  /bin/sh "$work/customise" >> "$out" 2>&1 < /dev/null
                fi
                rc=$?
                rm -rf "$work"
                rm -f /var/lib/cloud/instance/user-data.txt /var/lib/cloud/instance/user-data.txt.i \\
                  /var/lib/cloud/instance/scripts/part-* 2>/dev/null
                amifactory_report "%5$s$rc"
                sync
                shutdown -h now || poweroff
                """.formatted(buildId, delimiter, body, startMarker(buildId), PREFIX + buildId + ":EXIT:");
    }

    /** A script that downloads the bootstrap script (https with curl or wget, s3 with the AWS CLI) and runs it. */
    static String forBootstrapUrl(String buildId, String url) {
        // The URL was checked to hold no quotes, spaces or shell metacharacters, so single quotes are safe.
        String fetch = """
                #!/bin/bash
                set -e
                url='%1$s'
                dest="$(dirname "$0")/bootstrap"
                case "$url" in
                  s3://*) aws s3 cp --only-show-errors "$url" "$dest" ;;
                  *) if command -v curl > /dev/null; then curl -fsSL --retry 5 --retry-delay 5 -o "$dest" "$url";
                     else wget -q -O "$dest" "$url"; fi ;;
                esac
                chmod 700 "$dest"
                if [ "$(head -c 2 "$dest")" = '#!' ]; then exec "$dest"; else exec /bin/sh "$dest"; fi
                """.formatted(url);
        return forScript(buildId, fetch);
    }

    /** A heredoc delimiter that no line of the script equals. */
    private static String delimiter(String buildId, String body) {
        String base = "AMIFACTORY_SCRIPT_END_" + shortHash(buildId);
        String d = base;
        for (int i = 1; ("\n" + body).contains("\n" + d + "\n"); i++) {
            d = base + "_" + i;
        }
        return d;
    }

    static String shortHash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
