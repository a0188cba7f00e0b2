package io.mooseng.core.chunk.ec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GaloisFieldTest {

    /** Carry-less multiplication reduced by the polynomial: the definition the tables must match. */
    private static int slowMul(int a, int b) {
        int product = 0;
        for (int i = 0; i < 8; i++) {
            if ((b >>> i & 1) != 0) {
                product ^= a << i;
            }
        }
        for (int bit = 15; bit >= 8; bit--) {
            if ((product >>> bit & 1) != 0) {
                product ^= GaloisField.POLYNOMIAL << (bit - 8);
            }
        }
        return product;
    }

    @Test
    void multiplicationMatchesDefinitionAndCommutes() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                assertEquals(slowMul(a, b), GaloisField.mul(a, b), a + "*" + b);
                assertEquals(GaloisField.mul(a, b), GaloisField.mul(b, a));
            }
        }
    }

    @Test
    void divisionInvertsMultiplication() {
        for (int a = 0; a < 256; a++) {
            for (int b = 1; b < 256; b++) {
                assertEquals(a, GaloisField.div(GaloisField.mul(a, b), b), a + "*" + b + "/" + b);
                assertEquals(a, GaloisField.mul(GaloisField.div(a, b), b), a + "/" + b + "*" + b);
            }
        }
        for (int a = 1; a < 256; a++) {
            assertEquals(1, GaloisField.mul(a, GaloisField.inverse(a)));
        }
    }

    @Test
    void multiplicationDistributesOverAdditionAndAssociates() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                int ab = GaloisField.mul(a, b);
                for (int c = 0; c < 256; c++) {
                    assertEquals(GaloisField.add(ab, GaloisField.mul(a, c)), GaloisField.mul(a, GaloisField.add(b, c)));
                    assertEquals(GaloisField.mul(ab, c), GaloisField.mul(a, GaloisField.mul(b, c)));
                }
            }
        }
    }

    @Test
    void logExpAndPowAgree() {
        for (int a = 1; a < 256; a++) {
            assertEquals(a, GaloisField.exp(GaloisField.log(a)));
            int p = 1;
            for (int n = 0; n < 600; n += 7) {
                assertEquals(p, GaloisField.pow(a, n), a + "^" + n);
                for (int i = 0; i < 7; i++) {
                    p = GaloisField.mul(p, a);
                }
            }
        }
        assertEquals(1, GaloisField.pow(0, 0));
        assertEquals(0, GaloisField.pow(0, 5));
    }

    @Test
    void twoGeneratesTheWholeGroup() {
        boolean[] seen = new boolean[256];
        for (int i = 0; i < 255; i++) {
            seen[GaloisField.exp(i)] = true;
        }
        for (int a = 1; a < 256; a++) {
            assertEquals(true, seen[a], "2^i never equals " + a);
        }
    }

    @Test
    void multiplicationRowIsTheTableRow() {
        byte[] row = GaloisField.multiplicationRow(0x53);
        byte[] expected = new byte[256];
        for (int b = 0; b < 256; b++) {
            expected[b] = (byte) slowMul(0x53, b);
        }
        assertArrayEquals(expected, row);
    }

    @Test
    void zeroHasNoInverseOrLog() {
        assertThrows(ArithmeticException.class, () -> GaloisField.div(7, 0));
        assertThrows(ArithmeticException.class, () -> GaloisField.inverse(0));
        assertThrows(ArithmeticException.class, () -> GaloisField.log(0));
    }
}
