package io.amifactory.engine.share;

import io.amifactory.engine.aws.AwsIds;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.amifactory.engine.input.InputNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.PermissionGroup;

/**
 * Who may launch an AMI: accounts, organisations, organisational units and (only when explicitly
 * allowed) everyone. Used both for what a request asks for and for what DescribeImageAttribute reports.
 * Sets are sorted so that reports and JSON are stable.
 */
public record Grantees(
        Set<String> accounts,
        Set<String> organizationArns,
        Set<String> organizationalUnitArns,
        @JsonProperty("public") boolean everyone) {

    /** An AWS account id: exactly 12 digits. */
    public static final Pattern ACCOUNT = AwsIds.ACCOUNT;
    /** arn:aws:organizations::111122223333:organization/o-exampleorgid (any partition). */
    public static final Pattern ORGANIZATION_ARN = AwsIds.ORGANIZATION_ARN;
    /** arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-ab12-cdef3456 (any partition). */
    public static final Pattern OU_ARN = AwsIds.OU_ARN;

    public static final Grantees NONE = new Grantees(Set.of(), Set.of(), Set.of(), false);

    public Grantees {
        accounts = sorted(accounts);
        organizationArns = sorted(organizationArns);
        organizationalUnitArns = sorted(organizationalUnitArns);
    }

    /**
     * Reads {@code accounts}, {@code orgArns}, {@code ouArns} and {@code public} from a request mapping,
     * checking every value's shape. Whether {@code public} is allowed is the request's decision.
     */
    public static Grantees parse(InputNode map) {
        return new Grantees(
                readAll(map, "accounts", ACCOUNT::matcher, "is not an AWS account id (12 digits)"),
                readAll(map, "orgArns", ORGANIZATION_ARN::matcher,
                        "is not an organization ARN (arn:aws:organizations::ACCOUNT:organization/o-xxxxxxxxxx)"),
                readAll(map, "ouArns", OU_ARN::matcher,
                        "is not an organizational unit ARN (arn:aws:organizations::ACCOUNT:ou/o-xxxxxxxxxx/ou-xxxx-xxxxxxxx)"),
                map.has("public") && map.get("public").asBoolean());
    }

    private static Set<String> readAll(InputNode map, String key,
            Function<String, Matcher> shape, String problem) {
        InputNode node = map.get(key);
        if (node == null) {
            return Set.of();
        }
        List<InputNode> items = node.isScalar() ? List.of(node) : node.asList();
        Set<String> out = new TreeSet<>();
        for (InputNode item : items) {
            String value = item.asString().trim();
            if (!shape.apply(value).matches()) {
                throw item.error("'" + value + "' " + problem);
            }
            out.add(value);
        }
        return out;
    }

    /** What DescribeImageAttribute(launchPermission) answered. */
    public static Grantees of(Collection<LaunchPermission> permissions) {
        Set<String> accounts = new TreeSet<>();
        Set<String> orgs = new TreeSet<>();
        Set<String> ous = new TreeSet<>();
        boolean everyone = false;
        for (LaunchPermission p : permissions) {
            if (p.userId() != null) {
                accounts.add(p.userId());
            }
            if (p.organizationArn() != null) {
                orgs.add(p.organizationArn());
            }
            if (p.organizationalUnitArn() != null) {
                ous.add(p.organizationalUnitArn());
            }
            if (p.group() == PermissionGroup.ALL) {
                everyone = true;
            }
        }
        return new Grantees(accounts, orgs, ous, everyone);
    }

    public List<LaunchPermission> toLaunchPermissions() {
        List<LaunchPermission> out = new ArrayList<>();
        accounts.forEach(a -> out.add(LaunchPermission.builder().userId(a).build()));
        organizationArns.forEach(a -> out.add(LaunchPermission.builder().organizationArn(a).build()));
        organizationalUnitArns.forEach(a -> out.add(LaunchPermission.builder().organizationalUnitArn(a).build()));
        if (everyone) {
            out.add(LaunchPermission.builder().group(PermissionGroup.ALL).build());
        }
        return out;
    }

    /** These grantees without those in {@code other}. */
    public Grantees minus(Grantees other) {
        return new Grantees(filter(accounts, a -> !other.accounts.contains(a)),
                filter(organizationArns, a -> !other.organizationArns.contains(a)),
                filter(organizationalUnitArns, a -> !other.organizationalUnitArns.contains(a)),
                everyone && !other.everyone);
    }

    /** The grantees that are in both. */
    public Grantees intersect(Grantees other) {
        return new Grantees(filter(accounts, other.accounts::contains),
                filter(organizationArns, other.organizationArns::contains),
                filter(organizationalUnitArns, other.organizationalUnitArns::contains),
                everyone && other.everyone);
    }

    public Grantees withoutAccount(String account) {
        return new Grantees(filter(accounts, a -> !a.equals(account)), organizationArns, organizationalUnitArns, everyone);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return accounts.isEmpty() && organizationArns.isEmpty() && organizationalUnitArns.isEmpty() && !everyone;
    }

    /** For progress lines: {@code account 111122223333, organization arn:..., public}; "nobody" if empty. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        accounts.forEach(a -> parts.add("account " + a));
        organizationArns.forEach(a -> parts.add("organization " + a));
        organizationalUnitArns.forEach(a -> parts.add("OU " + a));
        if (everyone) {
            parts.add("public");
        }
        return parts.isEmpty() ? "nobody" : String.join(", ", parts);
    }

    private static Set<String> filter(Set<String> in, Predicate<String> keep) {
        Set<String> out = new TreeSet<>();
        for (String s : in) {
            if (keep.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static Set<String> sorted(Set<String> in) {
        return in == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(in));
    }
}
