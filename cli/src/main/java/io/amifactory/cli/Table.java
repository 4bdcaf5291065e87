package io.amifactory.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as a left-aligned text table; the last column is not padded. */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                b.append(c == columns - 1 ? row[c] : String.format("%-" + width[c] + "s  ", row[c]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
