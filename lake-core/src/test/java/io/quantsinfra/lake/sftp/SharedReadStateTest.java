package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.remote.RemoteFs;
import java.io.InterruptedIOException;
import org.junit.jupiter.api.Test;

/**
 * What a connection learns of the server's READ limit, how its budget is given, and that the
 * budget is the connector's, shared with its other connections.
 */
class SharedReadStateTest {
    private static final int FULL = SharedReadState.READ_SIZE;
    private static final int GUARANTEED = RemoteFs.WHOLE_READ_MAX;

    private final ReadMemory memory = new ReadMemory(1024 * 1024);
    private final SharedReadState state = new SharedReadState(memory);
    /** Another connection of the same connector. */
    private final SharedReadState other = new SharedReadState(memory);

    @Test
    void startsWithOurReadSize_notYetSeenInFull() {
        assertEquals(new ReadLimit(FULL, false), state.readLimit());
    }

    @Test
    void aReadOfTheLimitAnsweredInFull_confirmsIt() {
        state.learn(FULL, FULL, false);
        assertEquals(new ReadLimit(FULL, true), state.readLimit());
    }

    @Test
    void aFullAnswerOfAnotherSize_confirmsNothing() {
        state.learn(GUARANTEED, GUARANTEED, false);
        assertEquals(new ReadLimit(FULL, false), state.readLimit());
    }

    @Test
    void aShortReplyWhereTheFileGoesOn_lowersTheLimit_whichAFullAnswerThenConfirms() {
        state.learn(FULL, 65_536, true);
        assertEquals(new ReadLimit(65_536, false), state.readLimit());

        state.learn(65_536, 65_536, false);
        assertEquals(new ReadLimit(65_536, true), state.readLimit());
    }

    @Test
    void aShortReplyWhereTheFileEnded_keepsTheLimit() {
        state.learn(FULL, 65_536, false);
        assertEquals(new ReadLimit(FULL, false), state.readLimit());
    }

    @Test
    void theLimitNeverFallsBelowWhatEveryServerMustAllow() {
        state.learn(FULL, GUARANTEED - 1, true);
        assertEquals(new ReadLimit(FULL, false), state.readLimit());

        state.learn(FULL, GUARANTEED, true);
        assertEquals(new ReadLimit(GUARANTEED, false), state.readLimit());
    }

    @Test
    void theLimitIsNeverRaised() {
        state.learn(FULL, 65_536, true);
        state.learn(FULL, 100_000, true); // short, but more than the limit already learned
        assertEquals(new ReadLimit(65_536, false), state.readLimit());
    }

    @Test
    void aReadsShare_isRoundedUpToKib_andNeverMoreThanTheBudget() {
        assertEquals(1024, state.budgetKib());
        assertEquals(0, state.kib(0));
        assertEquals(1, state.kib(1));
        assertEquals(1, state.kib(1024));
        assertEquals(2, state.kib(1025));
        assertEquals(1024, state.kib(Integer.MAX_VALUE - 1023));
    }

    @Test
    void theBudget_isGivenOnlyWhileThereIsSomeLeft() throws InterruptedIOException {
        state.takeBudget(1000, "a file");
        assertFalse(state.tryTakeBudget(25));
        assertTrue(state.tryTakeBudget(24));

        state.releaseBudget(1024);
        assertTrue(state.tryTakeBudget(1024));
    }

    @Test
    void theBudget_isSharedWithTheConnectorsOtherConnections() throws InterruptedIOException {
        state.takeBudget(1000, "a file");

        assertFalse(other.tryTakeBudget(25), "the other connection sees what this one took");
        assertTrue(other.tryTakeBudget(24));

        state.releaseBudget(1000);
        assertTrue(other.tryTakeBudget(1000));
    }

    @Test
    void theReadLimit_isEachConnectionsOwn() {
        state.learn(FULL, 65_536, true);
        assertEquals(new ReadLimit(FULL, false), other.readLimit(), "another server may answer in full");
    }
}
