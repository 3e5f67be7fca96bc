/** providers/aws: EC2 instances, NLBs, EBS volumes and Auto Scaling node groups (docs/aws.md). */
import type { ProviderFactory } from '../../core/cloud/index.js';
import { createAwsProvider } from './provider.js';

export { createAwsProvider, awsCapabilities } from './provider.js';
export type { AwsProvider, AwsProviderOptions } from './provider.js';
export { AwsThrottles, Throttle } from './throttle.js';
export { parseAwsConfig } from './config.js';
export type { AwsConfig } from './config.js';
export { EBS_PROVISIONER, TAG_NODE_NAME } from './volume-mapping.js';
export { providerIdOf, instanceIdOf, targetGroupName, resourceTags } from './mapping.js';
export { ANN as AWS_LB_ANNOTATION_PREFIX } from './lb-model.js';

/** What the integrator registers: `registry.register('aws', awsProviderFactory)`. */
export const awsProviderFactory: ProviderFactory = (opts) => createAwsProvider(opts);
export default awsProviderFactory;
