package org.connectorsdk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SecretMaskTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.";

    @Test
    void anExcerptCutThroughTheKeyKeepsNoPieceOfIt() {
        String key = "823a81b9ebc94d55a7f0c2e1d3b4a5968778695a4b3c2d1e0f";
        String excerpt = "body starts with '{\"reply\": \"x" + key.substring(0, 40) + "...'";

        assertThat(SecretMask.of(List.of(key)).apply(excerpt))
                .isEqualTo("body starts with '{\"reply\": \"x[hidden]...'");
    }

    @Test
    void textWithoutAPieceOfASecretIsUnchanged() {
        SecretMask mask = SecretMask.of(List.of("s3cr3t-value-0123456789"));
        String text = "Cortex XDR answered HTTP 500 to get_endpoint: s3cr3t- is short, value-0 too";

        assertThat(mask.apply(text)).isSameAs(text);
        assertThat(SecretMask.none().apply(text)).isSameAs(text);
        assertThat(mask.apply(null)).isNull();
    }

    @Test
    void aShortSecretIsMaskedWhereItOccursWhole() {
        assertThat(SecretMask.of(List.of("abc123")).apply("key abc123 and abc12")).isEqualTo("key [hidden] and abc12");
    }

    @Test
    void theHashAndBase64FormsAreMaskedToo() throws Exception {
        String key = "form-key-5a4b3c2d1e0f9a8b7c6d";
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        SecretMask mask = SecretMask.of(List.of(key));

        assertThat(mask.apply("sig " + HexFormat.of().formatHex(hash))).isEqualTo("sig [hidden]");
        assertThat(mask.apply("SIG " + HexFormat.of().withUpperCase().formatHex(hash))).isEqualTo("SIG [hidden]");
        assertThat(mask.apply("b64 " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))))
                .doesNotContain(Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
                        .substring(2, 18));
    }

    /**
     * The property of the issue: for random keys of 8 to 512 characters, echoed whole, cut, in
     * pieces, hashed or base64-encoded (at every alignment) inside random text, no 16-character
     * piece of the key or of those forms survives the mask, nor does any 8-character piece.
     */
    @Test
    void noPieceOfARandomKeySurvivesInAnyForm() throws Exception {
        Random random = new Random(20261205L);
        for (int round = 0; round < 400; round++) {
            String key = randomText(random, 8 + random.nextInt(505));
            List<String> forms = forms(key);
            SecretMask mask = SecretMask.of(List.of(key));
            for (String form : forms) {
                int from = random.nextInt(form.length());
                int to = from + random.nextInt(form.length() - from) + 1;
                String piece = random.nextBoolean() ? form : form.substring(from, to);
                String text = randomText(random, random.nextInt(40)) + piece + randomText(random, random.nextInt(40));
                // an excerpt cut anywhere, masked before or after the cut
                int cut = random.nextInt(text.length() + 1);
                for (String out : List.of(mask.apply(text), mask.apply(text.substring(0, cut)),
                        mask.apply(text).substring(0, Math.min(cut, mask.apply(text).length())))) {
                    for (String secretForm : forms) {
                        assertNoPiece(out, secretForm, "key of " + key.length() + " characters, round " + round);
                    }
                }
            }
        }
    }

    private static void assertNoPiece(String out, String form, String what) {
        for (int i = 0; i + SecretMask.MIN_PIECE <= form.length(); i++) {
            String piece = form.substring(i, i + SecretMask.MIN_PIECE);
            // a random 8-character run of the surrounding text can equal a piece by chance only
            // with odds far below one in a billion per pair
            if (out.contains(piece)) {
                assertThat(out).as(what).doesNotContain(piece);
            }
        }
    }

    private static List<String> forms(String key) throws Exception {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
        List<String> forms = new ArrayList<>(List.of(key, HexFormat.of().formatHex(hash),
                HexFormat.of().withUpperCase().formatHex(hash), Base64.getEncoder().encodeToString(hash)));
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + bytes.length];
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            String encoded = Base64.getEncoder().encodeToString(shifted);
            // only the characters that depend on the key alone
            int from = (offset * 8 + 5) / 6;
            int to = encoded.replace("=", "").length() - ((offset + bytes.length) % 3 == 0 ? 0 : 1);
            if (to - from >= SecretMask.MIN_PIECE) {
                forms.add(encoded.substring(from, to));
            }
        }
        return forms;
    }

    private static String randomText(Random random, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
