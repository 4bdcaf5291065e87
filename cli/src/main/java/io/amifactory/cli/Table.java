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
            out.println(line(width, row));
        }
    }

    /** One row with these column widths, for tables printed a line at a time. */
    static String line(int[] width, String... row) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < row.length; c++) {
            b.append(c == row.length - 1 ? row[c] : String.format("%-" + width[c] + "s  ", row[c]));
        }
        return b.toString().stripTrailing();
    }
}
