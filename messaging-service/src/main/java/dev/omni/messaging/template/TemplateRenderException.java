package dev.omni.messaging.template;

/** A template that cannot be rendered with the values given (a value it uses is missing). */
public class TemplateRenderException extends RuntimeException {
    public TemplateRenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
