package io.mooseng.core.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Inputs for fuzz trials: random bytes, valid inputs changed a little (the changes a
 * coverage-guided fuzzer finds useful first: flipped bits, interesting bytes and numbers,
 * cut, repeated or swapped runs, dictionary tokens), and ways to cut a stream into reads.
 */
public final class Mutations {
    private static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '\r', '\n', ';', '=', ':', '-', '0', '9',
            'a', 'f', 'F', ' ', '%', '&', '<', '>', '/'};
    private static final String[] NUMBERS = {"0", "-1", "1", "9223372036854775807", "9223372036854775808", "18446744073709551616",
            "2147483647", "4294967296", "ffffffffffffffff", "fffffffffffffffff", "00000000000000001", "+1", " 1", "1e3", "NaN"};

    private Mutations() {
    }

    public static byte[] randomBytes(SplittableRandom r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(b);
        return b;
    }

    /** Text of up to {@code maxLength} characters drawn from {@code alphabet}. */
    public static String randomText(SplittableRandom r, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = r.nextInt(maxLength + 1); n > 0; n--) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** {@code valid} after 1 to 4 random mutations; the dictionary's tokens may be inserted or written over. */
    public static byte[] mutate(SplittableRandom r, byte[] valid, List<String> dictionary) {
        byte[] b = valid;
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            b = mutateOnce(r, b, dictionary);
        }
        return b;
    }

    public static String mutate(SplittableRandom r, String valid, List<String> dictionary) {
        return new String(mutate(r, valid.getBytes(StandardCharsets.UTF_8), dictionary), StandardCharsets.UTF_8);
    }

    private static byte[] mutateOnce(SplittableRandom r, byte[] b, List<String> dictionary) {
        int at = b.length == 0 ? 0 : r.nextInt(b.length);
        int len = b.length == 0 ? 0 : 1 + r.nextInt(Math.min(64, b.length - at));
        return switch (r.nextInt(b.length == 0 ? 2 : 11)) {
            case 0 -> insert(b, at, token(r, dictionary));
            case 1 -> insert(b, at, randomBytes(r, 8));
            case 2 -> {
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << r.nextInt(8));
                yield c;
            }
            case 3 -> {
                byte[] c = b.clone();
                c[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                yield c;
            }
            case 4 -> remove(b, at, len);
            case 5 -> insert(b, at, Arrays.copyOfRange(b, at, at + len)); // a run repeated
            case 6 -> Arrays.copyOf(b, at); // truncated
            case 7 -> overwrite(b, at, token(r, dictionary));
            case 8 -> {
                int other = r.nextInt(b.length);
                byte[] c = b.clone();
                c[at] = b[other];
                c[other] = b[at];
                yield c;
            }
            case 9 -> overwrite(b, at, NUMBERS[r.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII));
            default -> insert(b, at, repeat(token(r, dictionary), 1 + r.nextInt(200))); // many of one token: deep or long
        };
    }

    /**
     * {@code data} cut into 1 to 8 pieces at random places (often a single byte apart), as
     * network reads arrive.
     */
    public static List<byte[]> pieces(SplittableRandom r, byte[] data) {
        List<Integer> cuts = new ArrayList<>();
        for (int n = r.nextInt(8); n > 0 && data.length > 1; n--) {
            cuts.add(1 + r.nextInt(data.length - 1));
        }
        cuts.add(0);
        cuts.add(data.length);
        List<byte[]> pieces = new ArrayList<>();
        int[] sorted = cuts.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        for (int i = 0; i + 1 < sorted.length; i++) {
            pieces.add(Arrays.copyOfRange(data, sorted[i], sorted[i + 1]));
        }
        return pieces;
    }

    private static byte[] token(SplittableRandom r, List<String> dictionary) {
        return dictionary.isEmpty() ? randomBytes(r, 4) : dictionary.get(r.nextInt(dictionary.size())).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
        out.write(b, 0, at);
        out.writeBytes(what);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    private static byte[] overwrite(byte[] b, int at, byte[] what) {
        byte[] c = Arrays.copyOf(b, Math.max(b.length, at + what.length));
        System.arraycopy(what, 0, c, at, what.length);
        return c;
    }

    private static byte[] remove(byte[] b, int at, int len) {
        byte[] c = new byte[b.length - len];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + len, c, at, b.length - at - len);
        return c;
    }

    private static byte[] repeat(byte[] token, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length * times);
        for (int i = 0; i < times; i++) {
            out.writeBytes(token);
        }
        return out.toByteArray();
    }
}
