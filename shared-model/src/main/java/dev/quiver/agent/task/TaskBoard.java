package dev.quiver.agent.task;

import dev.quiver.agent.Acknowledgement;
import dev.quiver.agent.Answer;
import dev.quiver.agent.Message;
import dev.quiver.agent.MessageIds;
import dev.quiver.error.QuiverException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The agent's long work: each task runs a stage, moves from {@code working} to {@code completed} (an answer that
 * accepts or reports), {@code rejected} (an answer that refuses), {@code failed} or {@code canceled}, and can be read
 * meanwhile. A canceled task's work is told through its {@link BooleanSupplier} and its late answer is dropped.
 * Holds the most recent {@code keep} tasks in memory, finished ones dropped first. Safe from any thread.
 */
public final class TaskBoard {

    private final Clock clock;
    private final int keep;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final BiConsumer<Task, Task> onFinish;

    /**
     * @param keep     how many tasks are kept
     * @param onFinish told of each task that finishes other than by {@link #cancel}: the task as it was and as it is
     */
    public TaskBoard(Clock clock, int keep, BiConsumer<Task, Task> onFinish) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        this.clock = clock;
        this.keep = keep;
        this.onFinish = onFinish;
    }

    /**
     * Starts {@code work} for {@code message} as a new task, working at once; the work is given a check that says
     * whether the task was canceled.
     */
    public Task start(Message message, String model, Function<BooleanSupplier, CompletionStage<? extends Answer>> work) {
        String id = MessageIds.next();
        Task task = new Task(id, message.header().messageId(), message.header().correlationId(),
                message.action().wireName(), model, Task.State.WORKING, clock.instant(), clock.instant(), null);
        synchronized (tasks) {
            tasks.put(id, task);
            trim();
        }
        BooleanSupplier canceled = () -> get(id).map(t -> t.state() == Task.State.CANCELED).orElse(true);
        CompletionStage<? extends Answer> stage;
        try {
            stage = work.apply(canceled);
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.failedStage(e);
        }
        stage.whenComplete((answer, failure) -> finish(id, answer, failure));
        return task;
    }

    /** The task {@code id}, if kept. */
    public Optional<Task> get(String id) {
        synchronized (tasks) {
            return Optional.ofNullable(tasks.get(id));
        }
    }

    /** The kept tasks, newest first. */
    public List<Task> list() {
        synchronized (tasks) {
            List<Task> all = new ArrayList<>(tasks.values());
            all.sort(Comparator.comparing(Task::createdAt).reversed());
            return all;
        }
    }

    /**
     * Cancels the task {@code id}: a working task becomes {@code canceled}. Fails with NOT_FOUND for a task not kept
     * and CONFLICT for one already finished.
     */
    public Task cancel(String id) {
        synchronized (tasks) {
            Task t = tasks.get(id);
            if (t == null) {
                throw QuiverException.notFound("id", "no task " + id);
            }
            if (t.state().finished()) {
                throw QuiverException.conflict("id", "task " + id + " is already " + t.state().wireName());
            }
            Task canceled = t.moved(Task.State.CANCELED, clock.instant(), null);
            tasks.put(id, canceled);
            return canceled;
        }
    }

    private void finish(String id, Answer answer, Throwable failure) {
        Task before;
        Task after;
        synchronized (tasks) {
            before = tasks.get(id);
            if (before == null || before.state().finished()) {
                return;
            }
            Task.State state = failure != null ? Task.State.FAILED
                    : answer instanceof Acknowledgement a && a.outcome().status() == Acknowledgement.Status.REFUSED
                    ? Task.State.REJECTED
                    : answer instanceof Acknowledgement a && a.outcome().status() == Acknowledgement.Status.FAILED
                    ? Task.State.FAILED : Task.State.COMPLETED;
            after = before.moved(state, clock.instant(), answer);
            tasks.put(id, after);
        }
        onFinish.accept(before, after);
    }

    private void trim() {
        while (tasks.size() > keep) {
            String drop = tasks.values().stream().filter(t -> t.state().finished()).map(Task::id).findFirst()
                    .orElse(tasks.keySet().iterator().next());
            tasks.remove(drop);
        }
    }
}
