package dev.omni.profile.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The identity guards of DESIGN.md: priority between identifier types, a limit per type, blocked values. */
@ConfigMapping(prefix = "omni.identity")
public interface IdentityConfig {

    /**
     * Every identifier type, strongest first. The strongest identifier of an event decides which profile it is
     * about when its identifiers disagree.
     */
    @WithDefault("userId,loyaltyId,email,phone,posCard,pushToken,anonymousId")
    List<String> priority();

    /** At most this many identifiers of a type per profile (after merges); a type not listed is unlimited. */
    Map<String, Integer> limits();

    /** Values that identify no one, whatever their type (compared case-insensitively). */
    @WithDefault("anonymous,null,undefined,none,unknown,0,0000,n/a,test,guest")
    Set<String> blockedValues();
}
