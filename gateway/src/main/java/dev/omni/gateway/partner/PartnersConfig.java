package dev.omni.gateway.partner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Retargeting audiences and product feeds for partners. */
@ConfigMapping(prefix = "omni.gateway.partners")
public interface PartnersConfig {

    Audiences audiences();

    Feeds feeds();

    interface Audiences {
        /** The consent a member needs to be in an audience: this channel and purpose, status granted. */
        @WithDefault("advertising")
        String consentChannel();

        @WithDefault("marketing")
        String consentPurpose();

        /** Members per page when the partner gives no {@code limit}. */
        @WithDefault("100")
        int defaultPageSize();

        /** The largest {@code limit}. */
        @WithDefault("500")
        int maxPageSize();

        /** Members whose profile and continuity are read from profile-service at the same time. */
        @WithDefault("8")
        int concurrency();

        /** At most this many last-viewed and in-cart product ids per member. */
        @WithDefault("10")
        int productsPerMember();
    }

    interface Feeds {
        /** The shop's public address; links and images are made from it. */
        @WithDefault("http://localhost:3000")
        String shopUrl();

        /** Product page of an item; {shopUrl}, {productId} and {sku} are filled in. */
        @WithDefault("{shopUrl}/products/{productId}?sku={sku}")
        String linkTemplate();

        /** Image of an item; empty: no image_link. */
        @WithDefault("{shopUrl}/images/{sku}.jpg")
        Optional<String> imageTemplate();

        @WithDefault("Omni")
        String brand();

        /** Currency of a sku's {@code attributes.price} when it has no {@code attributes.currency}. */
        @WithDefault("EUR")
        String currency();

        /** Products whose online availability is read from inventory-service at the same time. */
        @WithDefault("4")
        int concurrency();
    }
}
