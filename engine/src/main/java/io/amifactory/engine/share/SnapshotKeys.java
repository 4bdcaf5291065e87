package io.amifactory.engine.share;

import io.amifactory.engine.aws.ClientSource;
import io.amifactory.engine.aws.AwsErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Checks the KMS keys of an AMI's encrypted snapshots before it is shared. A snapshot encrypted with
 * the AWS managed key ({@code alias/aws/ebs}) can never be used by another account, so sharing is
 * refused; for a customer managed key the sharer is warned that the key policy must let the targets
 * use it. KMS DescribeKey tells the two apart ({@code KeyManager} is {@code AWS} or {@code CUSTOMER}).
 */
final class SnapshotKeys {
    /** What the check found: reasons to refuse, and warnings to pass on. */
    record Verdict(List<String> problems, List<String> warnings) {
    }

    private final ClientSource clients;

    SnapshotKeys(ClientSource clients) {
        this.clients = clients;
    }

    /**
     * @throws SdkException when a key cannot be described (the check cannot be skipped safely: without
     *                      it an AMI on the default key would be "shared" but unusable)
     */
    Verdict check(String region, String imageId, List<Snapshot> snapshots, Grantees targets) {
        Map<String, List<String>> snapshotsByKey = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            if (Boolean.TRUE.equals(s.encrypted()) && s.kmsKeyId() != null) {
                snapshotsByKey.computeIfAbsent(s.kmsKeyId(), k -> new ArrayList<>()).add(s.snapshotId());
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : snapshotsByKey.entrySet()) {
            String key = e.getKey();
            String which = region + ": " + imageId + " (snapshot " + String.join(", ", e.getValue()) + ")";
            KeyMetadata meta;
            try {
                meta = clients.kms(region).describeKey(r -> r.keyId(key)).keyMetadata();
            } catch (SdkException ex) {
                AwsErrors.throwIfInterruption(ex, "checking the KMS key " + key + " before sharing; nothing was changed");
                throw new ShareAbortedException(which + ": cannot tell whether KMS key " + key
                        + " is the AWS managed key (" + AwsErrors.describe(ex) + "); allow kms:DescribeKey on it. "
                        + "Nothing was changed.", ex);
            }
            if (meta.keyManager() == KeyManagerType.AWS) {
                problems.add(which + " is encrypted with the AWS managed key " + key
                        + " (aws/ebs), which cannot be shared with other accounts; copy the AMI with a customer "
                        + "managed KMS key and share the copy");
            } else {
                warnings.add(which + " is encrypted with customer managed key " + key + ": its key policy must allow "
                        + describeTargets(targets) + " kms:DescribeKey, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* "
                        + "and kms:CreateGrant, or they cannot launch or copy the AMI");
            }
        }
        return new Verdict(problems, warnings);
    }

    private static String describeTargets(Grantees targets) {
        List<String> parts = new ArrayList<>();
        if (!targets.accounts().isEmpty()) {
            parts.add("accounts " + String.join(", ", new TreeSet<>(targets.accounts())));
        }
        if (!targets.organizationArns().isEmpty() || !targets.organizationalUnitArns().isEmpty()) {
            parts.add("the principals of the organization/OUs (for example with an aws:PrincipalOrgID condition)");
        }
        return String.join(" and ", parts);
    }
}
