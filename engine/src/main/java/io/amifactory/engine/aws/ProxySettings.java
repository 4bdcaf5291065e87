package io.amifactory.engine.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.apache.ProxyConfiguration;

/**
 * An HTTP proxy every AWS call goes through (STS for role assumption included): host, port, optional user and
 * password, and the hosts reached directly. Immutable; build with {@link #builder(String, int)}.
 *
 * <p>Non-proxy hosts are written as Jenkins writes them: host names or addresses where {@code *} stands for any
 * characters ({@code *.internal}, {@code 169.254.169.254}, {@code localhost}), matched case-insensitively
 * against the whole host name. The password never appears in {@link #toString()}, in a log line or in an
 * exception message.
 */
public final class ProxySettings {
    /** How Jenkins separates its "no proxy host" patterns (its ProxyConfiguration's rule). */
    private static final Pattern SEPARATORS = Pattern.compile("[ \t\n\r,|]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

    private final String scheme;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final List<String> nonProxyHosts;

    private ProxySettings(Builder b) {
        this.scheme = b.scheme;
        this.host = b.host;
        this.port = b.port;
        this.username = b.username;
        this.password = b.username == null ? null : (b.password == null ? "" : b.password);
        this.nonProxyHosts = List.copyOf(b.nonProxyHosts);
    }

    /**
     * A proxy at {@code host:port} (plain HTTP to the proxy; HTTPS calls to AWS are tunnelled through it).
     *
     * @throws IllegalArgumentException when the host is not a host name or address, or the port not 1-65535
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * The proxy of a URL as written in {@code HTTPS_PROXY}: {@code http://[user[:password]@]host[:port]} (user and
     * password percent-encoded; the port defaults to 80, or 443 for an {@code https://} proxy). No path.
     *
     * @throws IllegalArgumentException saying what is wrong; the message never repeats the URL, which may hold
     *         a password
     */
    public static Builder fromUrl(String url) {
        String text = url == null ? "" : url.trim();
        if (!text.contains("://")) {
            text = "http://" + text; // "proxy.example.com:3128", as many set it
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a proxy URL (like http://proxy.example.com:3128)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("a proxy URL starts with http:// or https://, not " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("not a proxy URL (like http://proxy.example.com:3128): no host");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a proxy URL is only http://host:port, without a path");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        Builder b = new Builder(uri.getHost(), port);
        b.scheme = scheme;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            b.credentials(user, password);
        }
        return b;
    }

    /**
     * The host patterns of a {@code NO_PROXY} value, as globs: {@code example.com} and {@code .example.com} both
     * stand for the domain and every host in it ({@code example.com}, {@code *.example.com}); {@code *} alone
     * for every host; a {@code :port} is dropped (a proxy is chosen by host). Address ranges (CIDR) are not
     * understood and match nothing.
     */
    public static List<String> noProxyPatterns(String noProxy) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : split(noProxy)) {
            String e = entry.replaceFirst(":\\d+$", "");
            if (e.equals("*")) {
                out.add("*");
            } else if (e.startsWith("*.")) {
                out.add(e);
            } else {
                String domain = e.startsWith(".") ? e.substring(1) : e;
                if (!domain.isEmpty()) {
                    out.add(domain);
                    out.add("*." + domain);
                }
            }
        }
        return List.copyOf(out);
    }

    public String scheme() {
        return scheme;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The proxy user, or null when the proxy needs none. */
    public String username() {
        return username;
    }

    public boolean hasCredentials() {
        return username != null;
    }

    /** The patterns as given (globs). */
    public List<String> nonProxyHosts() {
        return nonProxyHosts;
    }

    /** Whether a call to {@code hostName} goes around the proxy, by the same regular expressions the client gets. */
    public boolean bypasses(String hostName) {
        String h = hostName.toLowerCase(Locale.ROOT);
        return nonProxyHostRegexes().stream().anyMatch(h::matches);
    }

    /**
     * The non-proxy patterns as the SDK's Apache client takes them: regular expressions that must match the
     * whole (lower-cased) host name. A glob's {@code *} becomes {@code .*}; everything else is literal.
     */
    Set<String> nonProxyHostRegexes() {
        Set<String> out = new LinkedHashSet<>();
        for (String glob : nonProxyHosts) {
            String[] literals = glob.toLowerCase(Locale.ROOT).split("\\*", -1);
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < literals.length; i++) {
                if (i > 0) {
                    re.append(".*");
                }
                if (!literals[i].isEmpty()) {
                    re.append(Pattern.quote(literals[i]));
                }
            }
            out.add(re.toString());
        }
        return out;
    }

    /**
     * The Apache client's configuration: exactly these settings. The SDK would otherwise fill what is missing
     * from JVM system properties and HTTP_PROXY/NO_PROXY — a second, silent source of proxy settings.
     */
    ProxyConfiguration toApacheConfiguration() {
        ProxyConfiguration.Builder b = ProxyConfiguration.builder()
                .endpoint(URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port))
                .nonProxyHosts(nonProxyHostRegexes())
                .useSystemPropertyValues(false)
                .useEnvironmentVariableValues(false);
        if (username != null) {
            b.username(username).password(password);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySettings p && scheme.equals(p.scheme) && host.equals(p.host) && port == p.port
                && Objects.equals(username, p.username) && Objects.equals(password, p.password)
                && nonProxyHosts.equals(p.nonProxyHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port, username, nonProxyHosts);
    }

    /** {@code ProxySettings[http://proxy:3128, user builder (password hidden), no proxy for [*.internal]]}. */
    @Override
    public String toString() {
        return "ProxySettings[" + scheme + "://" + host + ":" + port
                + (username == null ? "" : ", user " + username + " (password hidden)")
                + (nonProxyHosts.isEmpty() ? "" : ", no proxy for " + nonProxyHosts) + "]";
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String s : SEPARATORS.split(text.trim())) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public static final class Builder {
        private String scheme = "http";
        private final String host;
        private final int port;
        private String username;
        private String password;
        private final List<String> nonProxyHosts = new ArrayList<>();

        private Builder(String host, int port) {
            String h = host == null ? "" : host.trim();
            if (!HOST.matcher(h).matches()) {
                throw new IllegalArgumentException("proxy host: '" + h + "' is not a host name or address");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("proxy port: " + port + " is not a port (1-65535)");
            }
            this.host = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
            this.port = port;
        }

        /** A user and password for the proxy (Basic, or NTLM when the proxy asks for it); a blank user means none. */
        public Builder credentials(String username, String password) {
            boolean none = username == null || username.isBlank();
            this.username = none ? null : username;
            this.password = none ? null : password;
            return this;
        }

        /** Hosts reached without the proxy: globs as Jenkins writes them ({@code *.internal}, {@code localhost}). */
        public Builder nonProxyHosts(List<String> patterns) {
            if (patterns != null) {
                patterns.forEach(p -> nonProxyHosts.addAll(split(p)));
            }
            return this;
        }

        /** The same, as Jenkins stores them: one text, patterns separated by new lines, spaces, commas or |. */
        public Builder nonProxyHosts(String text) {
            nonProxyHosts.addAll(split(text));
            return this;
        }

        public ProxySettings build() {
            return new ProxySettings(this);
        }
    }
}
