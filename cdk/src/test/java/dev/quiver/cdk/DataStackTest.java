package dev.quiver.cdk;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DataStackTest {

    static final Template DATA = Synthesized.DATA;

    static String modelBucket() {
        return Cfn.id(DATA, "AWS::S3::Bucket", "ModelBucket");
    }

    static Set<String> privateSubnets() {
        return Cfn.resources(DATA, "AWS::EC2::Subnet").entrySet().stream()
                .filter(e -> Cfn.list(e.getValue(), "Tags").stream().anyMatch(tag ->
                        "aws-cdk:subnet-type".equals(Cfn.at(tag, "Key")) && "Private".equals(Cfn.at(tag, "Value"))))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Test
    void theModelBucketIsVersionedEncryptedPrivateAndLogged() {
        Map<String, Object> bucket = Cfn.resources(DATA, "AWS::S3::Bucket").get(modelBucket());
        assertThat(Cfn.at(bucket, "VersioningConfiguration", "Status")).isEqualTo("Enabled");
        assertThat(Cfn.at(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration", 0,
                "ServerSideEncryptionByDefault", "SSEAlgorithm")).isIn("AES256", "aws:kms");
        assertThat((Map<?, ?>) Cfn.at(bucket, "PublicAccessBlockConfiguration")).isEqualTo(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
        String logs = Cfn.ref(Cfn.at(bucket, "LoggingConfiguration", "DestinationBucketName"));
        assertThat(logs).isEqualTo(Cfn.id(DATA, "AWS::S3::Bucket", "AccessLogs"));
    }

    /** Batch data is kept apart from the models, in a bucket hardened as theirs is, and outlives the stack too. */
    @Test
    void theBatchBucketIsItsOwnVersionedEncryptedPrivateLoggedAndKept() {
        String batch = Cfn.id(DATA, "AWS::S3::Bucket", "BatchBucket");
        assertThat(batch).isNotEqualTo(modelBucket());
        Map<String, Object> bucket = Cfn.resources(DATA, "AWS::S3::Bucket").get(batch);
        assertThat(Cfn.at(bucket, "VersioningConfiguration", "Status")).isEqualTo("Enabled");
        assertThat(Cfn.at(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration", 0,
                "ServerSideEncryptionByDefault", "SSEAlgorithm")).isEqualTo("AES256");
        assertThat((Map<?, ?>) Cfn.at(bucket, "PublicAccessBlockConfiguration")).isEqualTo(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
        assertThat(Cfn.ref(Cfn.at(bucket, "LoggingConfiguration", "DestinationBucketName")))
                .isEqualTo(Cfn.id(DATA, "AWS::S3::Bucket", "AccessLogs"));
        assertThat(Cfn.at(bucket, "LoggingConfiguration", "LogFilePrefix")).isEqualTo("batch-bucket/");
        Map<String, Object> resource = DATA.findResources("AWS::S3::Bucket").get(batch);
        assertThat(resource.get("DeletionPolicy")).isEqualTo("Retain");
        assertThat(resource.get("UpdateReplacePolicy")).isEqualTo("Retain");
        DATA.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", batch),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
        Object output = Cfn.at(DATA.toJSON(), "Outputs", "BatchBucketName", "Value");
        assertThat(Cfn.ref(output)).isEqualTo(batch);
    }

    @Test
    void everyBucketRefusesRequestsWithoutTls() {
        for (String bucket : Cfn.resources(DATA, "AWS::S3::Bucket").keySet()) {
            DATA.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                    "Bucket", Map.of("Ref", bucket),
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
        }
    }

    @Test
    void theAccessLogBucketIsPrivateWithoutAcls() {
        Map<String, Object> logs = Cfn.resources(DATA, "AWS::S3::Bucket").get(Cfn.id(DATA, "AWS::S3::Bucket", "AccessLogs"));
        assertThat(Cfn.at(logs, "AccessControl")).isNull();
        assertThat(Cfn.at(logs, "OwnershipControls", "Rules", 0, "ObjectOwnership")).isEqualTo("BucketOwnerEnforced");
        assertThat(Cfn.at(logs, "PublicAccessBlockConfiguration", "RestrictPublicBuckets")).isEqualTo(true);
    }

    @Test
    void theOnlineStoreIsServerlessValkeyInThePrivateSubnets() {
        Map<String, Map<String, Object>> caches = Cfn.resources(DATA, "AWS::ElastiCache::ServerlessCache");
        assertThat(caches).hasSize(1);
        Map<String, Object> cache = caches.values().iterator().next();
        assertThat(Cfn.at(cache, "Engine")).isEqualTo("valkey");
        List<String> subnets = Cfn.list(cache, "SubnetIds").stream().map(Cfn::ref).toList();
        assertThat(subnets).isNotEmpty();
        assertThat(privateSubnets()).containsAll(subnets);
    }

    @Test
    void onlyTheFunctionsSecurityGroupReachesTheStore() {
        String cacheSg = Cfn.ref(Cfn.at(Cfn.resources(DATA, "AWS::ElastiCache::ServerlessCache").values().iterator().next(),
                "SecurityGroupIds", 0));
        String functionsSg = Cfn.id(DATA, "AWS::EC2::SecurityGroup", "FunctionsSecurityGroup");
        Map<String, Object> group = Cfn.resources(DATA, "AWS::EC2::SecurityGroup").get(cacheSg);
        assertThat(Cfn.list(group, "SecurityGroupIngress")).as("no inline CIDR ingress").isEmpty();
        List<Map<String, Object>> ingress = Cfn.resources(DATA, "AWS::EC2::SecurityGroupIngress").values().stream()
                .filter(r -> cacheSg.equals(Cfn.ref(Cfn.at(r, "GroupId")))).toList();
        assertThat(ingress).hasSize(1);
        Map<String, Object> rule = ingress.get(0);
        assertThat(Cfn.ref(Cfn.at(rule, "SourceSecurityGroupId"))).isEqualTo(functionsSg);
        assertThat(Cfn.at(rule, "CidrIp")).isNull();
        assertThat(Cfn.integer(rule, "FromPort")).isEqualTo(DataStack.CACHE_PORT);
        assertThat(Cfn.integer(rule, "ToPort")).isEqualTo(DataStack.CACHE_READER_PORT);
        // and the store starts nothing itself
        assertThat(Cfn.list(group, "SecurityGroupEgress")).allSatisfy(e ->
                assertThat(Cfn.at(e, "CidrIp")).isNotEqualTo("0.0.0.0/0"));
    }

    @Test
    void theVpcHasPrivateSubnetsAndFlowLogs() {
        assertThat(privateSubnets()).hasSizeGreaterThanOrEqualTo(2);
        DATA.resourceCountIs("AWS::EC2::FlowLog", 1);
    }
}
