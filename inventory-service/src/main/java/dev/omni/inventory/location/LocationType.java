package dev.omni.inventory.location;

public enum LocationType {
    STORE, WAREHOUSE, ONLINE_DC
}
