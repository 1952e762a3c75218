package dev.quiver.drift;

/** How a column's values are compared: as numbers on a line, or as unordered categories. */
public enum ColumnType {
    /** Numbers: KS or Wasserstein by default, unless the column has five distinct values or fewer. */
    NUMERICAL,
    /** Categories (strings, or numbers declared categorical): chi-square, z-test or Jensen-Shannon by default. */
    CATEGORICAL
}
