package io.amifactory.engine.build;

import io.amifactory.engine.build.spec.BuildSpec;

/**
 * Finds the AMI a build starts from in the build region. {@link Ec2SourceResolver} answers AMI ids, SSM
 * parameters and filters itself, and tracked images through a lookup of their definitions; the tracker can
 * answer instead by implementing this interface.
 */
@FunctionalInterface
public interface SourceResolver {
    /**
     * @throws SourceNotFoundException when there is no such image (a spec problem, not an AWS failure)
     */
    ResolvedSource resolve(BuildSpec.Source source, String region);

    /** The source named in a spec does not exist or matches nothing; the message says which and where. */
    class SourceNotFoundException extends RuntimeException {
        public SourceNotFoundException(String message) {
            super(message);
        }
    }
}
