package dev.quiver.cdk;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcProps;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.amazon.awscdk.services.elasticache.CfnServerlessCacheProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * What the functions keep their state in, and the network they reach it through: the model bucket, batch scoring's
 * bucket (and the bucket their access logs go to), a VPC whose private subnets hold the functions and the online
 * store, and the online and state store itself, ElastiCache Serverless for Valkey, which only the functions'
 * security group may reach.
 *
 * <p>The functions' security group lives here, beside the cache's, so the cache's ingress rule names it without
 * the data stack depending on the functions stack. For the same reason the batch bucket's notification to its queue
 * is defined in the functions stack, beside the queue.
 */
public final class DataStack extends Stack {

    /** The port ElastiCache Serverless serves on (6379), and its reader endpoint's (6380). */
    static final int CACHE_PORT = 6379;
    static final int CACHE_READER_PORT = 6380;

    private final Vpc vpc;
    private final Bucket modelBucket;
    private final Bucket batchBucket;
    private final SecurityGroup functionsSecurityGroup;
    private final CfnServerlessCache cache;

    public DataStack(Construct scope, String id, Settings settings, StackProps props) {
        super(scope, id, props);

        // Access logs of the model and batch buckets and the VPC's flow logs; S3 log delivery cannot use KMS keys,
        // hence S3-managed encryption.
        Bucket accessLogs = new Bucket(this, "AccessLogs", BucketProps.builder()
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());

        // Versioned so an overwritten or deleted model version can be recovered; models outlive the stack.
        modelBucket = new Bucket(this, "ModelBucket", BucketProps.builder()
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("model-bucket/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());

        // Batch scoring's rows (batch/in/) and predictions (batch/out/), kept apart from the models: the writers of
        // one never reach the other. Hardened as the model bucket, and kept when the stack goes.
        batchBucket = new Bucket(this, "BatchBucket", BucketProps.builder()
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("batch-bucket/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build());
        new CfnOutput(this, "BatchBucketName", CfnOutputProps.builder().value(batchBucket.getBucketName())
                .description("Objects of rows to score go under batch/in/<model>/<name>; predictions appear under"
                        + " batch/out/<model>/<name>").build());

        vpc = new Vpc(this, "Vpc", VpcProps.builder()
                .maxAzs(2)
                .natGateways(settings.natGateways())
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(22).build()))
                // models are read from S3 without crossing the NAT gateway
                .gatewayEndpoints(Map.of("S3", GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.S3).build()))
                .build());
        vpc.addFlowLog("FlowLogs", FlowLogOptions.builder()
                .destination(FlowLogDestination.toS3(accessLogs, "vpc-flow-logs/"))
                .build());

        functionsSecurityGroup = new SecurityGroup(this, "FunctionsSecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("Quiver's Lambda functions: the only clients of the online store")
                .allowAllOutbound(true)
                .build());
        SecurityGroup cacheSecurityGroup = new SecurityGroup(this, "CacheSecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("Quiver's online store: reachable from the functions' security group only")
                .allowAllOutbound(false)
                .build());
        cacheSecurityGroup.addIngressRule(functionsSecurityGroup, Port.tcpRange(CACHE_PORT, CACHE_READER_PORT),
                "Valkey from Quiver's functions");

        cache = new CfnServerlessCache(this, "OnlineStore", CfnServerlessCacheProps.builder()
                .serverlessCacheName(Settings.string(settings.node(), "quiver.cache.name", "quiver-online-store"))
                .description("Quiver's online feature store, capture windows and state")
                .engine("valkey")
                .majorEngineVersion("8")
                .subnetIds(vpc.selectSubnets(SubnetSelection.builder()
                        .subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds())
                .securityGroupIds(List.of(cacheSecurityGroup.getSecurityGroupId()))
                .build());
    }

    public Vpc vpc() {
        return vpc;
    }

    public Bucket modelBucket() {
        return modelBucket;
    }

    /** Batch scoring's bucket: objects of rows under {@code batch/in/}, predictions under {@code batch/out/}. */
    public Bucket batchBucket() {
        return batchBucket;
    }

    public SecurityGroup functionsSecurityGroup() {
        return functionsSecurityGroup;
    }

    /** The online store's URI as the functions' Redis clients take it; serverless caches speak TLS only. */
    public String cacheUri() {
        return "rediss://" + cache.getAttrEndpointAddress() + ":" + cache.getAttrEndpointPort();
    }

    CfnServerlessCache cache() {
        return cache;
    }
}
