package org.connectorsdk.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes secrets from text, pieces included: every run of {@value #MIN_PIECE} or more
 * characters taken from a secret, from the hex or base64 of its SHA-256, or from its base64
 * form becomes {@value Secret#MASK}. Because pieces are removed, an excerpt cut through a secret
 * keeps at most {@value #MIN_PIECE} minus one of its characters, whether it was masked before or
 * after shortening; mask first anyway, so the mask word itself survives the cut.
 *
 * <pre>{@code
 * SecretMask mask = SecretMask.of(List.of(apiKey));
 * String safe = mask.apply("body starts with '" + bodyHead + "'");
 * }</pre>
 *
 * <p>Secrets shorter than {@value #MIN_PIECE} characters are masked where they occur whole.
 * Instances are immutable and thread-safe.
 */
public final class SecretMask {
    /** The shortest run of a secret's characters that is masked. */
    public static final int MIN_PIECE = 8;

    private static final SecretMask NONE = new SecretMask(Set.of(), List.of());

    /** Every {@value #MIN_PIECE}-character window of every form of every secret. */
    private final Set<String> windows;
    /** Secrets too short to have a window, masked whole. */
    private final List<String> shortSecrets;

    private SecretMask(Set<String> windows, List<String> shortSecrets) {
        this.windows = windows;
        this.shortSecrets = shortSecrets;
    }

    /** A mask for {@code secrets}; null and blank values are ignored. */
    public static SecretMask of(Collection<String> secrets) {
        Set<String> windows = new HashSet<>();
        List<String> shortSecrets = new ArrayList<>();
        for (String secret : secrets) {
            if (secret == null || secret.isBlank()) {
                continue;
            }
            if (secret.length() < MIN_PIECE) {
                shortSecrets.add(secret);
            }
            for (String form : forms(secret)) {
                for (int i = 0; i + MIN_PIECE <= form.length(); i++) {
                    windows.add(form.substring(i, i + MIN_PIECE));
                }
            }
        }
        if (windows.isEmpty() && shortSecrets.isEmpty()) {
            return NONE;
        }
        shortSecrets.sort((a, b) -> b.length() - a.length());
        return new SecretMask(Set.copyOf(windows), List.copyOf(shortSecrets));
    }

    /** A mask that knows no secret and returns text unchanged. */
    public static SecretMask none() {
        return NONE;
    }

    /** {@code text} with every piece of a known secret replaced by {@value Secret#MASK}; null stays null. */
    public String apply(String text) {
        if (text == null || this == NONE) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i + MIN_PIECE <= text.length()) {
            if (!windows.contains(text.substring(i, i + MIN_PIECE))) {
                i++;
                continue;
            }
            // extend the run while each next window still belongs to a secret
            int end = i + MIN_PIECE;
            while (end < text.length() && windows.contains(text.substring(end + 1 - MIN_PIECE, end + 1))) {
                end++;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, i).append(Secret.MASK);
            copied = end;
            i = end;
        }
        String masked = out == null ? text : out.append(text, copied, text.length()).toString();
        for (String secret : shortSecrets) {
            masked = masked.replace(secret, Secret.MASK);
        }
        return masked;
    }

    /**
     * The secret and the forms a server or a log could show it in: its SHA-256 in hex (both
     * cases) and base64, and its base64 at each of the three byte alignments it can have
     * inside a longer encoded text (the characters that depend on neighbours left out).
     */
    private static List<String> forms(String secret) {
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        byte[] hash = sha256(bytes);
        String hex = HexFormat.of().formatHex(hash);
        forms.add(hex);
        forms.add(hex.toUpperCase(Locale.ROOT));
        forms.add(Base64.getEncoder().encodeToString(hash));
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + bytes.length];
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // characters mixing a neighbour's bits: the first ceil(offset*8/6), the last one or two
            int from = (offset * 8 + 5) / 6;
            int to = encoded.length() - ((offset + bytes.length) % 3 == 0 ? 0 : 1);
            if (to - from >= MIN_PIECE) {
                String middle = encoded.substring(from, to);
                forms.add(middle);
                forms.add(middle.replace('+', '-').replace('/', '_'));
            }
        }
        return forms;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Never the secrets: how many windows this mask matches. */
    @Override
    public String toString() {
        return "SecretMask[" + windows.size() + " windows]";
    }
}
