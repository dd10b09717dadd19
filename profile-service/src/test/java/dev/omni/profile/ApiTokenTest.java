package dev.omni.profile;

import dev.omni.testing.ApiTokenContract;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The token check behind the gateway ({@link ApiTokenContract}), on one of profile-service's own endpoints. */
@QuarkusTest
@TestProfile(ApiTokenContract.AuthOn.class)
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ApiTokenTest extends ApiTokenContract {

    @Override
    protected String api() {
        return "/api/segments";
    }
}
