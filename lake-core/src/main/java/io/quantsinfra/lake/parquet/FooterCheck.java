package io.quantsinfra.lake.parquet;

import java.util.Objects;

/**
 * What {@link ParquetFooter#check} found at the end of a Parquet file: the file is
 * {@link Complete}, {@link Incomplete} (a collector may still be writing it, or it is no Parquet
 * file), or the check {@link NeedMoreTail needs more of the file's tail} to tell.
 */
public sealed interface FooterCheck {

    /**
     * The file is structurally complete: {@code PAR1} at both ends and a footer that fits the
     * file and decodes as Parquet {@code FileMetaData}.
     *
     * @param numRows      the file's row count, as its footer states it ({@code num_rows})
     * @param rowGroups    how many row groups the footer lists
     * @param footerLength the footer's length in bytes, without the 8 bytes of length and magic
     */
    record Complete(long numRows, int rowGroups, int footerLength) implements FooterCheck {
        /** Checks that the values are ones a decoded footer can give. */
        public Complete {
            if (numRows < 0 || rowGroups < 0 || footerLength <= 0) {
                throw new IllegalArgumentException("not a complete footer: " + numRows + " rows, "
                        + rowGroups + " row groups, footer of " + footerLength + " bytes");
            }
        }
    }

    /**
     * The file is not a complete Parquet file, as far as its bytes at the time of the check show.
     *
     * @param problem what kind of problem, for code that treats them differently
     * @param reason  a short sentence for people, e.g. {@code "no footer yet"}
     */
    record Incomplete(Problem problem, String reason) implements FooterCheck {
        /** Checks that both fields are present. */
        public Incomplete {
            Objects.requireNonNull(problem, "problem is missing");
            Objects.requireNonNull(reason, "reason is missing");
        }
    }

    /**
     * The tail given is too short to hold what the file's last 8 bytes announce: read the file's
     * last {@code tailLength} bytes and check again with those. Never more than the file's length,
     * and given at most once per file length (the second call always decides).
     *
     * @param tailLength how many bytes from the end of the file the next check needs
     */
    record NeedMoreTail(int tailLength) implements FooterCheck {
        /** Checks that the length is positive. */
        public NeedMoreTail {
            if (tailLength <= 0) {
                throw new IllegalArgumentException("tail length must be positive: " + tailLength);
            }
        }
    }

    /** Why a file is {@link Incomplete}. */
    enum Problem {
        /**
         * The file does not start with {@code PAR1}: not Parquet, or Parquet with an encrypted
         * footer ({@code PARE}), which this check does not read. Writing on will not fix it.
         */
        NOT_PARQUET,
        /**
         * No trailing {@code PAR1} yet: empty, header only, row groups or a footer being written.
         * The usual state of a file a collector is still writing.
         */
        NO_FOOTER_YET,
        /**
         * The file ends with {@code PAR1} but the footer length before it is not positive or does
         * not fit the file: most likely data that happens to end in those 4 bytes.
         */
        FOOTER_LENGTH_DOES_NOT_FIT,
        /**
         * The footer length fits the file but is over {@link ParquetFooter#MAX_FOOTER_LENGTH}:
         * not read. A part that really has such a footer never passes this check.
         */
        FOOTER_TOO_LARGE,
        /** The footer's bytes are not a Parquet {@code FileMetaData}. */
        FOOTER_DOES_NOT_DECODE
    }
}
