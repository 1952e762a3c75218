package dev.quiver.redis.feast;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The Lua script that writes one row of one view, newer-wins, atomically: Feast's {@code online_write_batch} reads
 * {@code _ts:<view>} and then writes in two steps; doing both inside Redis closes the window in which a concurrent
 * older write could overwrite a newer one.
 *
 * <p>Calling convention: {@code KEYS[1]} the entity's hash; {@code ARGV[1]} the view's timestamp field;
 * {@code ARGV[2]}, {@code ARGV[3]} the new event time's seconds and nanos, in decimal; {@code ARGV[4]} the key TTL in
 * milliseconds, 0 for none; {@code ARGV[5..]} field, value pairs to set, the timestamp field among them. Returns 1
 * when it wrote, 0 when the stored event time is the same or newer (as Feast, it skips equal times too; a stored
 * time of zero counts as none, again as Feast).
 *
 * <p>The stored time is a serialized {@code google.protobuf.Timestamp}, so the script decodes its two varints. Lua's
 * numbers are doubles, exact to 2^53: seconds of any real date fit, and a negative int64 (a ten-byte varint) is
 * rebuilt from its complement so that it stays small and exact too.
 */
public final class WriteScript {

    /** The script; its text is the one Redis caches under {@link #SHA1}. */
    public static final String LUA = """
            local function varint(s, i)
              local groups = {}
              repeat
                local b = string.byte(s, i)
                if b == nil then return nil, i end
                groups[#groups + 1] = b % 128
                i = i + 1
              until b < 128
              local v = 0
              if #groups == 10 then
                for k = 9, 1, -1 do v = v * 128 + (127 - groups[k]) end
                return -(v + 1), i
              end
              for k = #groups, 1, -1 do v = v * 128 + groups[k] end
              return v, i
            end

            local stored = redis.call('HGET', KEYS[1], ARGV[1])
            if stored then
              local seconds, nanos, i = 0, 0, 1
              while i <= #stored do
                local tag = string.byte(stored, i)
                local v
                v, i = varint(stored, i + 1)
                if v == nil or (tag ~= 8 and tag ~= 16) then
                  return redis.error_reply('the stored ' .. ARGV[1] .. ' is not a google.protobuf.Timestamp')
                end
                if tag == 8 then seconds = v else nanos = v end
              end
              local newSeconds, newNanos = tonumber(ARGV[2]), tonumber(ARGV[3])
              if (seconds ~= 0 or nanos ~= 0)
                  and (newSeconds < seconds or (newSeconds == seconds and newNanos <= nanos)) then
                return 0
              end
            end

            -- unpack() puts every value on Lua's stack, which is limited: set at most 500 pairs per HSET
            for first = 5, #ARGV, 1000 do
              redis.call('HSET', KEYS[1], unpack(ARGV, first, math.min(first + 999, #ARGV)))
            end
            if ARGV[4] ~= '0' then
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
            end
            return 1
            """;

    /** The SHA-1 of {@link #LUA}, in lower-case hex, as {@code EVALSHA} wants it. */
    public static final String SHA1 = sha1(LUA);

    private WriteScript() {
    }

    /** The {@code EVALSHA} call for one row; {@code fieldsAndValues} alternate field, value. */
    public static Request evalSha(byte[] key, byte[] tsField, Instant eventTime, long keyTtlMillis,
                                  byte[][] fieldsAndValues) {
        return args(Request.cmd(Command.EVALSHA).arg(SHA1), key, tsField, eventTime, keyTtlMillis, fieldsAndValues);
    }

    /** The same call as {@link #evalSha} with the script's text, for a server that has not cached it yet. */
    public static Request eval(byte[] key, byte[] tsField, Instant eventTime, long keyTtlMillis,
                               byte[][] fieldsAndValues) {
        return args(Request.cmd(Command.EVAL).arg(LUA), key, tsField, eventTime, keyTtlMillis, fieldsAndValues);
    }

    private static Request args(Request r, byte[] key, byte[] tsField, Instant eventTime, long keyTtlMillis,
                                byte[][] fieldsAndValues) {
        r.arg(1).arg(key).arg(tsField).arg(eventTime.getEpochSecond()).arg(eventTime.getNano()).arg(keyTtlMillis);
        for (byte[] b : fieldsAndValues) {
            r.arg(b);
        }
        return r;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
