/// SHA-256 of many short messages at once: one message per SIMD lane (multi-buffer hashing, as
/// isa-l_crypto does), bit-identical to ``SHA256``.
///
/// A scalar SHA-256 round is a long chain of dependent 32-bit operations; here each operation
/// works on `laneCount` messages' words at once, so a block costs about 40% of the
/// instructions of the scalar code (baseline x86-64, SSE2: about 1,340 against 3,350,
/// callgrind). Every lane advances one block per
/// step; a lane whose message is done takes the next message, so messages of different lengths
/// share the lanes without waiting for each other.
///
/// ```swift
/// let digests = SHA256Lanes.hash([Array("abc".utf8), []])   // ba7816bf…, e3b0c442…
/// ```
public enum SHA256Lanes {
    /// One 32-bit word of every lane.
    typealias Word = SIMD4<UInt32>
    /// How many messages are hashed side by side.
    public static let laneCount = Word.scalarCount

    /// Writes the digest of `messages[i]` to `digests[i]` for every `i`.
    public static func hash(_ messages: UnsafeBufferPointer<UnsafeRawBufferPointer>, into digests: UnsafeMutablePointer<SHA256Digest>) {
        guard !messages.isEmpty else { return }
        withUnsafeTemporaryAllocation(of: LaneScratch.self, capacity: 1) { scratch in
            scratch.baseAddress!.initialize(to: LaneScratch())
            var hasher = MultiBufferHasher(messages: messages, digests: digests, scratch: scratch.baseAddress!)
            hasher.run()
        }
    }

    /// The digests of `messages`, in order.
    public static func hash(_ messages: [[UInt8]]) -> [SHA256Digest] {
        // The messages side by side in one buffer, so one set of pointers stays valid throughout.
        let joined = messages.flatMap { $0 }
        var result = [SHA256Digest](repeating: SHA256Digest(word0: 0, word1: 0, word2: 0, word3: 0), count: messages.count)
        joined.withUnsafeBytes { bytes in
            var start = 0
            let buffers = messages.map { message -> UnsafeRawBufferPointer in
                defer { start += message.count }
                return UnsafeRawBufferPointer(rebasing: bytes[start..<start + message.count])
            }
            buffers.withUnsafeBufferPointer { list in
                result.withUnsafeMutableBufferPointer { hash(list, into: $0.baseAddress!) }
            }
        }
        return result
    }
}

extension SHA256Lanes {
    /// Stack memory for one run: the padded last blocks of each lane's message, the transposed
    /// message block and the message schedule.
    struct LaneScratch {
        /// Per lane (room for up to eight), up to two padded blocks: 128 bytes as 16 words of 8 bytes.
        var tails = Tails()
        /// 16 schedule words, each one `Word` (all lanes); rolled as the rounds go.
        var schedule = Schedule()
        init() {}

        struct Tails {
            var storage: (Block128, Block128, Block128, Block128, Block128, Block128, Block128, Block128) =
                (Block128(), Block128(), Block128(), Block128(), Block128(), Block128(), Block128(), Block128())
        }
        struct Block128 {
            var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        }
        struct Schedule {
            var words: (Word, Word, Word, Word, Word, Word, Word, Word,
                        Word, Word, Word, Word, Word, Word, Word, Word) =
                (Word(), Word(), Word(), Word(), Word(), Word(), Word(), Word(),
                 Word(), Word(), Word(), Word(), Word(), Word(), Word(), Word())
        }
    }

    /// Which message a lane hashes and where it is in it.
    struct Lane {
        /// Index of the message, or -1 when the lane is idle (no messages left).
        var message = -1
        /// The next block to compress.
        var block = 0
        /// Blocks read straight from the message; the rest come from the lane's padded tail.
        var fullBlocks = 0
        var totalBlocks = 0
    }

    /// The lane scheduler and the lane-parallel compression function.
    struct MultiBufferHasher {
        let messages: UnsafeBufferPointer<UnsafeRawBufferPointer>
        let digests: UnsafeMutablePointer<SHA256Digest>
        let tails: UnsafeMutableRawPointer
        let schedule: UnsafeMutablePointer<Word>
        var lanes: [Lane]
        var nextMessage = 0
        var state: (Word, Word, Word, Word, Word, Word, Word, Word)

        init(messages: UnsafeBufferPointer<UnsafeRawBufferPointer>, digests: UnsafeMutablePointer<SHA256Digest>,
             scratch: UnsafeMutablePointer<LaneScratch>) {
            self.messages = messages
            self.digests = digests
            let raw = UnsafeMutableRawPointer(scratch)
            tails = raw + MemoryLayout<LaneScratch>.offset(of: \LaneScratch.tails)!
            schedule = (raw + MemoryLayout<LaneScratch>.offset(of: \LaneScratch.schedule)!).assumingMemoryBound(to: Word.self)
            lanes = Array(repeating: Lane(), count: laneCount)
            let iv = ChainingWords.initial
            state = (Word(repeating: iv[0]), Word(repeating: iv[1]), Word(repeating: iv[2]), Word(repeating: iv[3]),
                     Word(repeating: iv[4]), Word(repeating: iv[5]), Word(repeating: iv[6]), Word(repeating: iv[7]))
        }

        mutating func run() {
            var active = 0
            for lane in 0..<laneCount where assignNext(to: lane) { active += 1 }
            let constants = SHA256Lanes.splatConstants
            constants.withUnsafeBufferPointer { k in
                while active > 0 {
                    loadBlocks()
                    compress(k.baseAddress!)
                    for lane in 0..<laneCount where lanes[lane].message >= 0 {
                        lanes[lane].block += 1
                        if lanes[lane].block == lanes[lane].totalBlocks {
                            digests[lanes[lane].message] = digest(ofLane: lane)
                            if !assignNext(to: lane) { active -= 1 }
                        }
                    }
                }
            }
        }

        /// Gives `lane` the next message (state reset, tail padded); false when none is left.
        mutating func assignNext(to lane: Int) -> Bool {
            guard nextMessage < messages.count else {
                lanes[lane] = Lane()
                return false
            }
            let index = nextMessage
            nextMessage += 1
            let message = messages[index]
            let count = message.count
            let fullBlocks = count / 64
            let rest = count - fullBlocks * 64
            let tailBlocks = rest < 56 ? 1 : 2
            // The padded tail: the last partial block, 0x80, zeros, the 64-bit big-endian bit length.
            let tail = tails + lane * 128
            tail.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
            if rest > 0 { tail.copyMemory(from: message.baseAddress! + fullBlocks * 64, byteCount: rest) }
            tail.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
            tail.storeBytes(of: (UInt64(count) &* 8).bigEndian, toByteOffset: tailBlocks * 64 - 8, as: UInt64.self)
            lanes[lane] = Lane(message: index, block: 0, fullBlocks: fullBlocks, totalBlocks: fullBlocks + tailBlocks)
            let iv = ChainingWords.initial
            state.0[lane] = iv[0]; state.1[lane] = iv[1]; state.2[lane] = iv[2]; state.3[lane] = iv[3]
            state.4[lane] = iv[4]; state.5[lane] = iv[5]; state.6[lane] = iv[6]; state.7[lane] = iv[7]
            return true
        }

        func digest(ofLane lane: Int) -> SHA256Digest {
            SHA256Digest(
                word0: UInt64(state.0[lane]) << 32 | UInt64(state.1[lane]),
                word1: UInt64(state.2[lane]) << 32 | UInt64(state.3[lane]),
                word2: UInt64(state.4[lane]) << 32 | UInt64(state.5[lane]),
                word3: UInt64(state.6[lane]) << 32 | UInt64(state.7[lane])
            )
        }

        /// Each lane's current block, transposed into the schedule: word i of lane l goes to
        /// element l of `schedule[i]`. An idle lane hashes its (stale) tail, never read.
        func loadBlocks() {
            let words = UnsafeMutableRawPointer(schedule).assumingMemoryBound(to: UInt32.self)
            for lane in 0..<laneCount {
                let current = lanes[lane]
                let block: UnsafeRawPointer
                if current.block < current.fullBlocks {
                    block = messages[current.message].baseAddress! + current.block * 64
                } else {
                    block = UnsafeRawPointer(tails + lane * 128 + max(current.block - current.fullBlocks, 0) * 64)
                }
                for i in 0..<16 {
                    words[i &* laneCount &+ lane] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
                }
            }
        }

        /// One block of every lane, from the transposed schedule words.
        mutating func compress(_ k: UnsafePointer<Word>) {
            let w = schedule
            var a = state.0, b = state.1, c = state.2, d = state.3
            var e = state.4, f = state.5, g = state.6, h = state.7
            var t = 0
            // Sixteen rounds per pass, working variables renamed instead of moved.
            while t < 64 {
                if t >= 16 { w[0] = expand(w, 0) }
                round(a, b, c, &d, e, f, g, &h, k[t &+ 0], w[0])
                if t >= 16 { w[1] = expand(w, 1) }
                round(h, a, b, &c, d, e, f, &g, k[t &+ 1], w[1])
                if t >= 16 { w[2] = expand(w, 2) }
                round(g, h, a, &b, c, d, e, &f, k[t &+ 2], w[2])
                if t >= 16 { w[3] = expand(w, 3) }
                round(f, g, h, &a, b, c, d, &e, k[t &+ 3], w[3])
                if t >= 16 { w[4] = expand(w, 4) }
                round(e, f, g, &h, a, b, c, &d, k[t &+ 4], w[4])
                if t >= 16 { w[5] = expand(w, 5) }
                round(d, e, f, &g, h, a, b, &c, k[t &+ 5], w[5])
                if t >= 16 { w[6] = expand(w, 6) }
                round(c, d, e, &f, g, h, a, &b, k[t &+ 6], w[6])
                if t >= 16 { w[7] = expand(w, 7) }
                round(b, c, d, &e, f, g, h, &a, k[t &+ 7], w[7])
                if t >= 16 { w[8] = expand(w, 8) }
                round(a, b, c, &d, e, f, g, &h, k[t &+ 8], w[8])
                if t >= 16 { w[9] = expand(w, 9) }
                round(h, a, b, &c, d, e, f, &g, k[t &+ 9], w[9])
                if t >= 16 { w[10] = expand(w, 10) }
                round(g, h, a, &b, c, d, e, &f, k[t &+ 10], w[10])
                if t >= 16 { w[11] = expand(w, 11) }
                round(f, g, h, &a, b, c, d, &e, k[t &+ 11], w[11])
                if t >= 16 { w[12] = expand(w, 12) }
                round(e, f, g, &h, a, b, c, &d, k[t &+ 12], w[12])
                if t >= 16 { w[13] = expand(w, 13) }
                round(d, e, f, &g, h, a, b, &c, k[t &+ 13], w[13])
                if t >= 16 { w[14] = expand(w, 14) }
                round(c, d, e, &f, g, h, a, &b, k[t &+ 14], w[14])
                if t >= 16 { w[15] = expand(w, 15) }
                round(b, c, d, &e, f, g, h, &a, k[t &+ 15], w[15])
                t &+= 16
            }
            state.0 &+= a; state.1 &+= b; state.2 &+= c; state.3 &+= d
            state.4 &+= e; state.5 &+= f; state.6 &+= g; state.7 &+= h
        }
    }

    /// Schedule word W[t] for t ≥ 16, where `w[i]` holds W[t − 16].
    @inline(__always)
    static func expand(_ w: UnsafeMutablePointer<Word>, _ i: Int) -> Word {
        let x = w[(i &+ 1) & 15], y = w[(i &+ 14) & 15]
        let s0 = ((((x &>> 7) ^ (x &<< 14)) ^ (x &>> 18)) ^ (x &<< 25)) ^ (x &>> 3)
        let s1 = ((((y &>> 17) ^ (y &<< 13)) ^ (y &>> 19)) ^ (y &<< 15)) ^ (y &>> 10)
        return w[i] &+ s0 &+ w[(i &+ 9) & 15] &+ s1
    }

    // The rotations are written as shifts, alternating right and left and never a left shift
    // next to its own right shift. Swift's SIMD shifts are element-wise loops that LLVM
    // re-vectorises: a shift pair next to each other becomes a vector rotate, which SSE2 lacks
    // (done one element at a time), and two right shifts side by side get their lanes mixed
    // (shuffles). In this order every shift stays one `psrld`/`pslld` (see the tests).

    /// One round on all lanes (see `SHA256.round`): `d` and `h` change.
    @inline(__always)
    static func round(_ a: Word, _ b: Word, _ c: Word, _ d: inout Word,
                      _ e: Word, _ f: Word, _ g: Word, _ h: inout Word, _ k: Word, _ w: Word) {
        let bigS1 = (((((e &>> 6) ^ (e &<< 21)) ^ (e &>> 11)) ^ (e &<< 26)) ^ (e &>> 25)) ^ (e &<< 7)
        let ch = g ^ (e & (f ^ g))
        let t1 = h &+ bigS1 &+ ch &+ k &+ w
        let bigS0 = (((((a &>> 2) ^ (a &<< 19)) ^ (a &>> 13)) ^ (a &<< 10)) ^ (a &>> 22)) ^ (a &<< 30)
        let maj = (a & b) | (c & (a | b))
        d = d &+ t1
        h = t1 &+ bigS0 &+ maj
    }

    /// The round constants, each repeated in every lane.
    static let splatConstants: [Word] = SHA256.roundConstants.map { Word(repeating: $0) }

    /// FIPS 180-4 H(0).
    enum ChainingWords {
        static let initial: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
        ]
    }
}
