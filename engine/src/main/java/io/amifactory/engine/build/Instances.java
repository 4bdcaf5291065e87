package io.amifactory.engine.build;

import io.amifactory.engine.aws.AwsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

/** Reading build instances. */
final class Instances {
    /** States in which an instance still exists and costs money: a finished build leaves none. */
    static final List<String> LIVE = List.of("pending", "running", "stopping", "stopped");
    static final Set<String> GONE = Set.of("shutting-down", "terminated");

    private Instances() {
    }

    /** The instance, or null when EC2 does not know it (not yet visible after launch, or long gone). */
    static Instance describe(Ec2Client ec2, String instanceId) {
        try {
            for (Reservation r : ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations()) {
                for (Instance i : r.instances()) {
                    if (instanceId.equals(i.instanceId())) {
                        return i;
                    }
                }
            }
            return null;
        } catch (Ec2Exception e) {
            if (AwsErrors.isNotFound(e)) {
                return null;
            }
            throw e;
        }
    }

    static String state(Instance i) {
        return i == null || i.state() == null ? null : i.state().nameAsString();
    }

    /** Instances tagged with this build id in the given states. */
    static List<Instance> ofBuild(Ec2Client ec2, String buildId, List<String> states) {
        List<Instance> out = new ArrayList<>();
        ec2.describeInstancesPaginator(b -> b.filters(BuildTags.byBuild(buildId),
                        Filter.builder().name("instance-state-name").values(states).build()))
                .reservations().forEach(r -> out.addAll(r.instances()));
        return out;
    }
}
