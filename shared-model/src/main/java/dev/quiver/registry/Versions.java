package dev.quiver.registry;

import java.util.Comparator;

/** Ordering of version strings: numeric versions by value ("2" before "10"), then the rest by text. */
public final class Versions {

    private Versions() {
    }

    public static final Comparator<String> ORDER = (a, b) -> {
        boolean na = a.chars().allMatch(Character::isDigit) && a.length() < 19;
        boolean nb = b.chars().allMatch(Character::isDigit) && b.length() < 19;
        if (na && nb) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    };
}
