package dev.omni.profile.identity;

import dev.omni.contracts.profile.Identifier;

import java.util.List;
import java.util.UUID;

/**
 * What identity resolution did for one event.
 *
 * @param profile  the survivor the event belongs to, locked for the rest of the transaction
 * @param created  whether the event created it
 * @param attached identifiers the profile did not have before
 * @param absorbed profiles merged into it because of the event
 * @param notes    why an identifier was not attached or a profile not merged
 */
public record Resolution(Profile profile, boolean created, List<Identifier> attached, List<UUID> absorbed,
        List<String> notes) {
}
