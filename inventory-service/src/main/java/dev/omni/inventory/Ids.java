package dev.omni.inventory;

/** The shape of ids clients choose (location ids, skus, product ids): no {@code @}, which joins {@code sku@location}. */
public final class Ids {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";
    public static final String MESSAGE = "1 to 100 letters, digits or . _ : - (starting with a letter or digit)";

    private Ids() {
    }

    public static boolean valid(String id) {
        return id != null && id.matches(PATTERN);
    }
}
