;; nextbest's WebAssembly SIMD kernels (128-bit: f32x4, f64x2). Assembled by scripts/build-wasm.mjs (wabt) into
;; kernels-wasm.ts (the module as base64), loaded by simd.ts. Every pointer is a byte offset into the imported memory
;; (env.memory: the caller's, shared among worker threads in threads.ts).
;;
;; Float32 tables are stored with a row stride that is a multiple of 4 floats (16 bytes), the padding lanes zero, so
;; every row is a whole number of f32x4 vectors and no kernel needs a scalar tail. Float64 kernels take a stride that
;; is a multiple of 2 doubles.
;;
;; Kernels trust their arguments: the TypeScript side lays out the memory and validates every input.
(module
  ;; Math.exp of the host, so that BPR's logistic matches the JavaScript loop bit for bit.
  (import "env" "exp" (func $exp (param f64) (result f64)))
  (import "env" "memory" (memory 1 65536))

  ;; Σ_k a[k] · b[k] over `bytes` bytes (a multiple of 16) of two f32 vectors, two accumulators.
  (func $dotF32 (param $a i32) (param $b i32) (param $bytes i32) (result f32)
    (local $k i32) (local $s0 v128) (local $s1 v128)
    (local.set $k (i32.const 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))
        (local.set $s0 (f32x4.add (local.get $s0)
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $k))) (v128.load (i32.add (local.get $b) (local.get $k))))))
        (local.set $s1 (f32x4.add (local.get $s1)
          (f32x4.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $k))) (v128.load offset=16 (i32.add (local.get $b) (local.get $k))))))
        (local.set $k (i32.add (local.get $k) (i32.const 32)))
        (br $pairs)))
    (if (i32.lt_u (local.get $k) (local.get $bytes))
      (then
        (local.set $s0 (f32x4.add (local.get $s0)
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $k))) (v128.load (i32.add (local.get $b) (local.get $k))))))))
    (local.set $s0 (f32x4.add (local.get $s0) (local.get $s1)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))

  ;; y[k] += alpha · x[k] over `bytes` bytes (a multiple of 16).
  (func $axpyF32 (param $alpha f32) (param $x i32) (param $y i32) (param $bytes i32)
    (local $k i32) (local $w v128)
    (local.set $w (f32x4.splat (local.get $alpha)))
    (local.set $k (i32.const 0))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $k) (local.get $bytes)))
        (v128.store (i32.add (local.get $y) (local.get $k))
          (f32x4.add (v128.load (i32.add (local.get $y) (local.get $k)))
            (f32x4.mul (local.get $w) (v128.load (i32.add (local.get $x) (local.get $k))))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $chunks))))

  ;; out[k] = G[k] · v[k] (diagonal) or out = G v for a symmetric G (f rows of `bytes` bytes), f32. The symmetric
  ;; product is taken as Σ_a v[a] · G_a (rows as columns): 16 output floats at a time in four accumulators, no
  ;; horizontal sums.
  (func $gramTimes (param $G i32) (param $diagonal i32) (param $f i32) (param $v i32) (param $out i32) (param $bytes i32)
    (local $k i32) (local $a i32) (local $g i32) (local $w v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (if (local.get $diagonal)
      (then
        (local.set $k (i32.const 0))
        (block $done
          (loop $chunks
            (br_if $done (i32.ge_u (local.get $k) (local.get $bytes)))
            (v128.store (i32.add (local.get $out) (local.get $k))
              (f32x4.mul (v128.load (i32.add (local.get $G) (local.get $k))) (v128.load (i32.add (local.get $v) (local.get $k)))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $chunks))))
      (else
        ;; groups of four vectors (64 bytes), then single vectors
        (local.set $k (i32.const 0))
        (block $groupsDone
          (loop $groups
            (br_if $groupsDone (i32.gt_u (i32.add (local.get $k) (i32.const 64)) (local.get $bytes)))
            (local.set $s0 (v128.const f32x4 0 0 0 0)) (local.set $s1 (v128.const f32x4 0 0 0 0))
            (local.set $s2 (v128.const f32x4 0 0 0 0)) (local.set $s3 (v128.const f32x4 0 0 0 0))
            (local.set $g (i32.add (local.get $G) (local.get $k)))
            (local.set $a (i32.const 0))
            (block $aDone
              (loop $aLoop
                (br_if $aDone (i32.ge_u (local.get $a) (local.get $f)))
                (local.set $w (v128.load32_splat (i32.add (local.get $v) (i32.shl (local.get $a) (i32.const 2)))))
                (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $w) (v128.load (local.get $g)))))
                (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $g)))))
                (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $w) (v128.load offset=32 (local.get $g)))))
                (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $w) (v128.load offset=48 (local.get $g)))))
                (local.set $g (i32.add (local.get $g) (local.get $bytes)))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (br $aLoop)))
            (v128.store (i32.add (local.get $out) (local.get $k)) (local.get $s0))
            (v128.store offset=16 (i32.add (local.get $out) (local.get $k)) (local.get $s1))
            (v128.store offset=32 (i32.add (local.get $out) (local.get $k)) (local.get $s2))
            (v128.store offset=48 (i32.add (local.get $out) (local.get $k)) (local.get $s3))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br $groups)))
        (block $singlesDone
          (loop $singles
            (br_if $singlesDone (i32.ge_u (local.get $k) (local.get $bytes)))
            (local.set $s0 (v128.const f32x4 0 0 0 0))
            (local.set $g (i32.add (local.get $G) (local.get $k)))
            (local.set $a (i32.const 0))
            (block $aDone2
              (loop $aLoop2
                (br_if $aDone2 (i32.ge_u (local.get $a) (local.get $f)))
                (local.set $s0 (f32x4.add (local.get $s0)
                  (f32x4.mul (v128.load32_splat (i32.add (local.get $v) (i32.shl (local.get $a) (i32.const 2)))) (v128.load (local.get $g)))))
                (local.set $g (i32.add (local.get $g) (local.get $bytes)))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (br $aLoop2)))
            (v128.store (i32.add (local.get $out) (local.get $k)) (local.get $s0))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $singles))))))

  ;; out += Σ_q w_q · T[indices[q]] over q in [start, end), w_q = bias · (1 + c_q) + sign · c_q · (T[indices[q]] · v),
  ;; c_q = conf[q] (float32): the sparse part of an implicit-ALS residual (bias 1, sign −1, v = x) or of A·p (bias 0,
  ;; sign 1, v = p). Two entries at a time, each row's dot product on its own accumulator, so each loaded v and
  ;; out vector serves 2 rows (measured fastest on MovieLens 100K); the last entries one at a time. Both inner loops
  ;; take 32 bytes per pass (the dot product on two accumulators per row): the whole ALS fit on MovieLens 100K ran
  ;; ~25% faster than with 16-byte passes, nearly all of it from the accumulation loop.
  (func $accumulateRows (param $T i32) (param $bytes i32) (param $start i32) (param $end i32) (param $indices i32)
      (param $conf i32) (param $bias f32) (param $sign f32) (param $v i32) (param $out i32)
    (local $q i32) (local $k i32) (local $vk v128) (local $c f32) (local $s f32) (local $row i32)
    (local $r0 i32) (local $a0 v128) (local $w0 v128) (local $r1 i32) (local $a1 v128) (local $w1 v128)
    (local $b0 v128) (local $b1 v128)
    (local.set $q (local.get $start))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_s (i32.add (local.get $q) (i32.const 2)) (local.get $end)))
        (local.set $r0 (i32.add (local.get $T)
          (i32.mul (i32.load offset=0 (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $bytes))))
        (local.set $a0 (v128.const f32x4 0 0 0 0))
        (local.set $r1 (i32.add (local.get $T)
          (i32.mul (i32.load offset=4 (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $bytes))))
        (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $b0 (v128.const f32x4 0 0 0 0))
        (local.set $b1 (v128.const f32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        ;; 32 bytes per pass, two accumulators per row (a, b) so the additions of a row do not wait on each other
        (block $dotDone
          (loop $dot
            (br_if $dotDone (i32.gt_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))
            (local.set $vk (v128.load (i32.add (local.get $v) (local.get $k))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $k))) (local.get $vk))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $k))) (local.get $vk))))
            (local.set $vk (v128.load offset=16 (i32.add (local.get $v) (local.get $k))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r0) (local.get $k))) (local.get $vk))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r1) (local.get $k))) (local.get $vk))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br $dot)))
        (if (i32.lt_u (local.get $k) (local.get $bytes))
          (then
            (local.set $vk (v128.load (i32.add (local.get $v) (local.get $k))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $k))) (local.get $vk))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $k))) (local.get $vk))))))
        (local.set $a0 (f32x4.add (local.get $a0) (local.get $b0)))
        (local.set $a1 (f32x4.add (local.get $a1) (local.get $b1)))
        (local.set $c (f32.load offset=0 (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $s (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
          (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (local.set $w0 (f32x4.splat (f32.add (f32.mul (local.get $bias) (f32.add (f32.const 1) (local.get $c)))
          (f32.mul (f32.mul (local.get $sign) (local.get $c)) (local.get $s)))))
        (local.set $c (f32.load offset=4 (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $s (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a1)) (f32x4.extract_lane 1 (local.get $a1)))
          (f32.add (f32x4.extract_lane 2 (local.get $a1)) (f32x4.extract_lane 3 (local.get $a1)))))
        (local.set $w1 (f32x4.splat (f32.add (f32.mul (local.get $bias) (f32.add (f32.const 1) (local.get $c)))
          (f32.mul (f32.mul (local.get $sign) (local.get $c)) (local.get $s)))))
        (local.set $k (i32.const 0))
        (block $addDone
          (loop $add
            (br_if $addDone (i32.gt_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))
            (v128.store (i32.add (local.get $out) (local.get $k))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $k)))
                (f32x4.add (f32x4.mul (local.get $w0) (v128.load (i32.add (local.get $r0) (local.get $k)))) (f32x4.mul (local.get $w1) (v128.load (i32.add (local.get $r1) (local.get $k)))))))
            (v128.store offset=16 (i32.add (local.get $out) (local.get $k))
              (f32x4.add (v128.load offset=16 (i32.add (local.get $out) (local.get $k)))
                (f32x4.add (f32x4.mul (local.get $w0) (v128.load offset=16 (i32.add (local.get $r0) (local.get $k)))) (f32x4.mul (local.get $w1) (v128.load offset=16 (i32.add (local.get $r1) (local.get $k)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br $add)))
        (if (i32.lt_u (local.get $k) (local.get $bytes))
          (then
            (v128.store (i32.add (local.get $out) (local.get $k))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $k)))
                (f32x4.add (f32x4.mul (local.get $w0) (v128.load (i32.add (local.get $r0) (local.get $k)))) (f32x4.mul (local.get $w1) (v128.load (i32.add (local.get $r1) (local.get $k)))))))))
        (local.set $q (i32.add (local.get $q) (i32.const 2)))
        (br $blocks)))
    (block $singlesDone
      (loop $singles
        (br_if $singlesDone (i32.ge_s (local.get $q) (local.get $end)))
        (local.set $row (i32.add (local.get $T)
          (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $bytes))))
        (local.set $c (f32.load (i32.add (local.get $conf) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $s (call $dotF32 (local.get $row) (local.get $v) (local.get $bytes)))
        (call $axpyF32
          (f32.add (f32.mul (local.get $bias) (f32.add (f32.const 1) (local.get $c)))
            (f32.mul (f32.mul (local.get $sign) (local.get $c)) (local.get $s)))
          (local.get $row) (local.get $out) (local.get $bytes))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $singles))))

  ;; Implicit ALS, one conjugate-gradient half-iteration in float32 (Hu, Koren & Volinsky 2008; Takács, Pilászy & Tikk
  ;; 2011): every row x of X (rows × stride) re-solved by `steps` steps warm-started at its current value, for
  ;; (G + Σ_i c_i y_i y_iᵀ) x = Σ_i (1 + c_i) y_i over the row's entries (CSR indptr / indices into T, confidences
  ;; conf = α·value). G is YᵀY + λI (f rows of stride floats) or, with `diagonal`, its diagonal (stride floats).
  ;; `scratch` holds 3 · stride floats (r, p, Ap); `gather` gatherRows · stride floats and `identity` the integers
  ;; 0 .. gatherRows − 1. A row without entries gets its exact solution, 0.
  (func (export "alsConjugateGradientRows")
      (param $X i32) (param $rows i32) (param $T i32) (param $f i32) (param $stride i32)
      (param $indptr i32) (param $indices i32) (param $conf i32) (param $steps i32)
      (param $G i32) (param $diagonal i32) (param $scratch i32) (param $gather i32) (param $gatherRows i32)
      (param $identity i32)
    (local $bytes i32) (local $row i32) (local $x i32) (local $start i32) (local $end i32) (local $r i32) (local $p i32)
    (local $ap i32) (local $k i32) (local $it i32) (local $rsold f32) (local $rsnew f32) (local $pap f32) (local $a f32)
    (local $beta f32) (local $zero v128) (local $tbl i32) (local $idx i32) (local $cf i32) (local $s0 i32) (local $e0 i32)
    (local $q i32) (local $src i32) (local $dst i32)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $r (local.get $scratch))
    (local.set $p (i32.add (local.get $r) (local.get $bytes)))
    (local.set $ap (i32.add (local.get $p) (local.get $bytes)))
    (local.set $row (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $x (i32.add (local.get $X) (i32.mul (local.get $row) (local.get $bytes))))
        (local.set $start (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))))
        (block $rowDone
          (if (i32.eq (local.get $start) (local.get $end))
            (then
              (local.set $k (i32.const 0))
              (block $zeroDone
                (loop $zeroLoop
                  (br_if $zeroDone (i32.ge_u (local.get $k) (local.get $bytes)))
                  (v128.store (i32.add (local.get $x) (local.get $k)) (local.get $zero))
                  (local.set $k (i32.add (local.get $k) (i32.const 16)))
                  (br $zeroLoop)))
              (br $rowDone)))
;; A row with at most gatherRows entries first copies its rows of T into the contiguous buffer `gather` (one
          ;; pass of random reads instead of one per conjugate-gradient step), then reads them there.
          (local.set $tbl (local.get $T)) (local.set $idx (local.get $indices)) (local.set $cf (local.get $conf))
          (local.set $s0 (local.get $start)) (local.set $e0 (local.get $end))
          (if (i32.le_u (i32.sub (local.get $end) (local.get $start)) (local.get $gatherRows))
            (then
              (local.set $q (local.get $start))
              (local.set $dst (local.get $gather))
              (block $gatherDone
                (loop $gatherLoop
                  (br_if $gatherDone (i32.ge_u (local.get $q) (local.get $end)))
                  (local.set $src (i32.add (local.get $T)
                    (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $bytes))))
                  (local.set $k (i32.const 0))
                  (block $copyDone
                    (loop $copyLoop
                      (br_if $copyDone (i32.ge_u (local.get $k) (local.get $bytes)))
                      (v128.store (i32.add (local.get $dst) (local.get $k)) (v128.load (i32.add (local.get $src) (local.get $k))))
                      (local.set $k (i32.add (local.get $k) (i32.const 16)))
                      (br $copyLoop)))
                  (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
                  (local.set $q (i32.add (local.get $q) (i32.const 1)))
                  (br $gatherLoop)))
              (local.set $tbl (local.get $gather)) (local.set $idx (local.get $identity))
              (local.set $cf (i32.add (local.get $conf) (i32.shl (local.get $start) (i32.const 2))))
              (local.set $s0 (i32.const 0)) (local.set $e0 (i32.sub (local.get $end) (local.get $start)))))
          ;; r = b − A x = Σ_i (1 + c_i − c_i (y_i·x)) y_i − G x
          (call $gramTimes (local.get $G) (local.get $diagonal) (local.get $f) (local.get $x) (local.get $r) (local.get $bytes))
          (local.set $k (i32.const 0))
          (block $negDone
            (loop $negLoop
              (br_if $negDone (i32.ge_u (local.get $k) (local.get $bytes)))
              (v128.store (i32.add (local.get $r) (local.get $k)) (f32x4.neg (v128.load (i32.add (local.get $r) (local.get $k)))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br $negLoop)))
          (call $accumulateRows (local.get $tbl) (local.get $bytes) (local.get $s0) (local.get $e0) (local.get $idx)
            (local.get $cf) (f32.const 1) (f32.const -1) (local.get $x) (local.get $r))
          (memory.copy (local.get $p) (local.get $r) (local.get $bytes))
          (local.set $rsold (call $dotF32 (local.get $r) (local.get $r) (local.get $bytes)))
          (br_if $rowDone (f32.lt (local.get $rsold) (f32.const 1e-20)))
          (local.set $it (i32.const 0))
          (block $stepsDone
            (loop $stepLoop
              (br_if $stepsDone (i32.ge_u (local.get $it) (local.get $steps)))
              ;; Ap = G p + Σ_i c_i (y_i·p) y_i
              (call $gramTimes (local.get $G) (local.get $diagonal) (local.get $f) (local.get $p) (local.get $ap) (local.get $bytes))
              (call $accumulateRows (local.get $tbl) (local.get $bytes) (local.get $s0) (local.get $e0) (local.get $idx)
                (local.get $cf) (f32.const 0) (f32.const 1) (local.get $p) (local.get $ap))
              (local.set $pap (call $dotF32 (local.get $p) (local.get $ap) (local.get $bytes)))
              (br_if $stepsDone (i32.eqz (f32.gt (local.get $pap) (f32.const 0))))
              (local.set $a (f32.div (local.get $rsold) (local.get $pap)))
              (call $axpyF32 (local.get $a) (local.get $p) (local.get $x) (local.get $bytes))
              (call $axpyF32 (f32.neg (local.get $a)) (local.get $ap) (local.get $r) (local.get $bytes))
              (local.set $rsnew (call $dotF32 (local.get $r) (local.get $r) (local.get $bytes)))
              (br_if $stepsDone (f32.lt (local.get $rsnew) (f32.const 1e-20)))
              (local.set $beta (f32.div (local.get $rsnew) (local.get $rsold)))
              ;; p = r + β p
              (local.set $k (i32.const 0))
              (block $pDone
                (loop $pLoop
                  (br_if $pDone (i32.ge_u (local.get $k) (local.get $bytes)))
                  (v128.store (i32.add (local.get $p) (local.get $k))
                    (f32x4.add (v128.load (i32.add (local.get $r) (local.get $k)))
                      (f32x4.mul (f32x4.splat (local.get $beta)) (v128.load (i32.add (local.get $p) (local.get $k))))))
                  (local.set $k (i32.add (local.get $k) (i32.const 16)))
                  (br $pLoop)))
              (local.set $rsold (local.get $rsnew))
              (local.set $it (i32.add (local.get $it) (i32.const 1)))
              (br $stepLoop))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rowLoop))))

  ;; G (f rows of stride floats) = Σ_r t_r t_rᵀ over the rows t_r of T (rows × stride, float32): four rows at a time,
  ;; each G row updated once per four rank-one terms. Only the first f rows of G are written; padding lanes stay 0.
  (func (export "gramF32") (param $T i32) (param $rows i32) (param $f i32) (param $stride i32) (param $G i32)
    (local $bytes i32) (local $r i32) (local $t0 i32) (local $t1 i32) (local $t2 i32) (local $t3 i32) (local $a i32)
    (local $g i32) (local $k i32) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $aOff i32)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (memory.fill (local.get $G) (i32.const 0) (i32.mul (local.get $f) (local.get $bytes)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        ;; rows r .. r+3; past the end a row is the first one again with weight 0 (w = 0 below)
        (local.set $t0 (i32.add (local.get $T) (i32.mul (local.get $r) (local.get $bytes))))
        (local.set $t1 (select (i32.add (local.get $t0) (local.get $bytes)) (local.get $t0)
          (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $rows))))
        (local.set $t2 (select (i32.add (local.get $t0) (i32.shl (local.get $bytes) (i32.const 1))) (local.get $t0)
          (i32.lt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rows))))
        (local.set $t3 (select (i32.add (local.get $t0) (i32.mul (local.get $bytes) (i32.const 3))) (local.get $t0)
          (i32.lt_u (i32.add (local.get $r) (i32.const 3)) (local.get $rows))))
        (local.set $a (i32.const 0))
        (block $aDone
          (loop $aLoop
            (br_if $aDone (i32.ge_u (local.get $a) (local.get $f)))
            (local.set $aOff (i32.shl (local.get $a) (i32.const 2)))
            (local.set $w0 (v128.load32_splat (i32.add (local.get $t0) (local.get $aOff))))
            (local.set $w1 (select (v128.load32_splat (i32.add (local.get $t1) (local.get $aOff))) (v128.const f32x4 0 0 0 0)
              (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $rows))))
            (local.set $w2 (select (v128.load32_splat (i32.add (local.get $t2) (local.get $aOff))) (v128.const f32x4 0 0 0 0)
              (i32.lt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rows))))
            (local.set $w3 (select (v128.load32_splat (i32.add (local.get $t3) (local.get $aOff))) (v128.const f32x4 0 0 0 0)
              (i32.lt_u (i32.add (local.get $r) (i32.const 3)) (local.get $rows))))
            (local.set $g (i32.add (local.get $G) (i32.mul (local.get $a) (local.get $bytes))))
            (local.set $k (i32.const 0))
            (block $kDone
              (loop $kLoop
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $bytes)))
                (v128.store (i32.add (local.get $g) (local.get $k))
                  (f32x4.add (v128.load (i32.add (local.get $g) (local.get $k)))
                    (f32x4.add
                      (f32x4.add (f32x4.mul (local.get $w0) (v128.load (i32.add (local.get $t0) (local.get $k))))
                        (f32x4.mul (local.get $w1) (v128.load (i32.add (local.get $t1) (local.get $k)))))
                      (f32x4.add (f32x4.mul (local.get $w2) (v128.load (i32.add (local.get $t2) (local.get $k))))
                        (f32x4.mul (local.get $w3) (v128.load (i32.add (local.get $t3) (local.get $k))))))))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $kLoop)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $aLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rowLoop))))

  ;; One epoch of biased matrix factorization by SGD (Funk; Koren, Bell & Volinsky 2009), float64: for t < n the
  ;; rating p = order[t] of user rowOf[p] and item indices[p] updates b_u, b_i, p_u and q_i exactly as the JavaScript
  ;; loop does, operation for operation (f64x2 lanes hold the even and odd terms of the dot product, which the
  ;; JavaScript loop sums in two variables), so both give bit-identical models. P and Q have `stride` doubles per row
  ;; (a multiple of 2, padding zero). Returns the epoch's sum of squared errors.
  (func (export "mfSgdEpoch")
      (param $P i32) (param $Q i32) (param $bu i32) (param $bi i32) (param $order i32) (param $rowOf i32)
      (param $indices i32) (param $values i32) (param $n i32) (param $stride i32)
      (param $mu f64) (param $lr f64) (param $reg f64) (param $lrb f64) (param $regb f64) (result f64)
    (local $bytes i32) (local $t i32) (local $p i32) (local $u i32) (local $i i32) (local $pu i32) (local $qi i32)
    (local $k i32) (local $acc v128) (local $a v128) (local $b v128) (local $le v128) (local $decay v128)
    (local $bU f64) (local $bI f64) (local $err f64) (local $squared f64) (local $pb i32) (local $ib i32)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $decay (f64x2.splat (f64.sub (f64.const 1) (f64.mul (local.get $lr) (local.get $reg)))))
    (local.set $t (i32.const 0))
    (block $done
      (loop $ratings
        (br_if $done (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $p (i32.load (i32.add (local.get $order) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $u (i32.load (i32.add (local.get $rowOf) (i32.shl (local.get $p) (i32.const 2)))))
        (local.set $i (i32.load (i32.add (local.get $indices) (i32.shl (local.get $p) (i32.const 2)))))
        (local.set $pu (i32.add (local.get $P) (i32.mul (local.get $u) (local.get $bytes))))
        (local.set $qi (i32.add (local.get $Q) (i32.mul (local.get $i) (local.get $bytes))))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (block $dotDone
          (loop $dot
            (br_if $dotDone (i32.ge_u (local.get $k) (local.get $bytes)))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (v128.load (i32.add (local.get $pu) (local.get $k))) (v128.load (i32.add (local.get $qi) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $dot)))
        (local.set $pb (i32.add (local.get $bu) (i32.shl (local.get $u) (i32.const 3))))
        (local.set $ib (i32.add (local.get $bi) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $bU (f64.load (local.get $pb)))
        (local.set $bI (f64.load (local.get $ib)))
        (local.set $err (f64.sub (f64.load (i32.add (local.get $values) (i32.shl (local.get $p) (i32.const 3))))
          (f64.add (f64.add (f64.add (f64.add (local.get $mu) (local.get $bU)) (local.get $bI))
            (f64x2.extract_lane 0 (local.get $acc))) (f64x2.extract_lane 1 (local.get $acc)))))
        (local.set $squared (f64.add (local.get $squared) (f64.mul (local.get $err) (local.get $err))))
        (f64.store (local.get $pb) (f64.add (local.get $bU)
          (f64.mul (local.get $lrb) (f64.sub (local.get $err) (f64.mul (local.get $regb) (local.get $bU))))))
        (f64.store (local.get $ib) (f64.add (local.get $bI)
          (f64.mul (local.get $lrb) (f64.sub (local.get $err) (f64.mul (local.get $regb) (local.get $bI))))))
        (local.set $le (f64x2.splat (f64.mul (local.get $lr) (local.get $err))))
        (local.set $k (i32.const 0))
        ;; 32 bytes per pass, then one 16 (elementwise, so the order of the passes changes nothing)
        (block $updateDone
          (loop $update
            (br_if $updateDone (i32.gt_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))
            (local.set $a (v128.load (i32.add (local.get $pu) (local.get $k))))
            (local.set $b (v128.load (i32.add (local.get $qi) (local.get $k))))
            (v128.store (i32.add (local.get $pu) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $a)) (f64x2.mul (local.get $le) (local.get $b))))
            (v128.store (i32.add (local.get $qi) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $b)) (f64x2.mul (local.get $le) (local.get $a))))
            (local.set $a (v128.load offset=16 (i32.add (local.get $pu) (local.get $k))))
            (local.set $b (v128.load offset=16 (i32.add (local.get $qi) (local.get $k))))
            (v128.store offset=16 (i32.add (local.get $pu) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $a)) (f64x2.mul (local.get $le) (local.get $b))))
            (v128.store offset=16 (i32.add (local.get $qi) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $b)) (f64x2.mul (local.get $le) (local.get $a))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br $update)))
        (if (i32.lt_u (local.get $k) (local.get $bytes))
          (then
            (local.set $a (v128.load (i32.add (local.get $pu) (local.get $k))))
            (local.set $b (v128.load (i32.add (local.get $qi) (local.get $k))))
            (v128.store (i32.add (local.get $pu) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $a)) (f64x2.mul (local.get $le) (local.get $b))))
            (v128.store (i32.add (local.get $qi) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $b)) (f64x2.mul (local.get $le) (local.get $a))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $ratings)))
    (local.get $squared))

  ;; Packs a float64 matrix (element (i, k) at src + (i·rowStride + k·colStride)·8) for gemmF64: strip r holds rows
  ;; 4r .. 4r+3, entry k of row 4r+q at dst + ((r·cols + k)·4 + q)·8; rows from `rows` up to the next multiple of 4 are
  ;; zero. Rows contiguous (rowStride 1) copy four values per step as two f64x2; otherwise each row streams along k.
  ;; Only copies values: the gemm reads exactly what the JavaScript packing would have written.
  (func (export "packStripsF64") (param $src i32) (param $rowStride i32) (param $colStride i32) (param $rows i32)
      (param $cols i32) (param $dst i32)
    (local $r i32) (local $q i32) (local $k i32) (local $row i32) (local $in i32) (local $out i32) (local $colBytes i32)
    (local $stripBytes i32) (local $strips i32)
    (local.set $colBytes (i32.shl (local.get $colStride) (i32.const 3)))
    (local.set $stripBytes (i32.shl (local.get $cols) (i32.const 5)))
    (local.set $strips (i32.shr_u (i32.add (local.get $rows) (i32.const 3)) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $stripsDone
      (loop $stripLoop
        (br_if $stripsDone (i32.ge_u (local.get $r) (local.get $strips)))
        (if (i32.and (i32.eq (local.get $rowStride) (i32.const 1))
              (i32.le_u (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 2)) (local.get $rows)))
          (then
            ;; four contiguous rows: entry k of the strip is the 32 bytes at src + (4r + k·colStride)·8
            (local.set $in (i32.add (local.get $src) (i32.shl (local.get $r) (i32.const 5))))
            (local.set $out (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $stripBytes))))
            (local.set $k (i32.const 0))
            (block $kDone
              (loop $kLoop
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $cols)))
                (v128.store (local.get $out) (v128.load (local.get $in)))
                (v128.store offset=16 (local.get $out) (v128.load offset=16 (local.get $in)))
                (local.set $in (i32.add (local.get $in) (local.get $colBytes)))
                (local.set $out (i32.add (local.get $out) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $kLoop))))
          (else
            (local.set $q (i32.const 0))
            (block $qDone
              (loop $qLoop
                (br_if $qDone (i32.ge_u (local.get $q) (i32.const 4)))
                (local.set $row (i32.add (i32.shl (local.get $r) (i32.const 2)) (local.get $q)))
                (local.set $in (i32.add (local.get $src)
                  (i32.shl (i32.mul (local.get $row) (local.get $rowStride)) (i32.const 3))))
                (local.set $out (i32.add (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $stripBytes)))
                  (i32.shl (local.get $q) (i32.const 3))))
                (local.set $k (i32.const 0))
                (if (i32.lt_u (local.get $row) (local.get $rows))
                  (then
                    (block $copyDone
                      (loop $copy
                        (br_if $copyDone (i32.ge_u (local.get $k) (local.get $cols)))
                        (f64.store (local.get $out) (f64.load (local.get $in)))
                        (local.set $in (i32.add (local.get $in) (local.get $colBytes)))
                        (local.set $out (i32.add (local.get $out) (i32.const 32)))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (br $copy))))
                  (else
                    (block $zeroDone
                      (loop $zero
                        (br_if $zeroDone (i32.ge_u (local.get $k) (local.get $cols)))
                        (f64.store (local.get $out) (f64.const 0))
                        (local.set $out (i32.add (local.get $out) (i32.const 32)))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (br $zero)))))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $qLoop)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $stripLoop))))

  ;; C += A · B in float64, for A m × n packed in strips of 4 rows (strip r holds A[4r .. 4r+3][k] for k < n at
  ;; A + (r·n + k)·32, m a multiple of 4), B packed in strips of 4 columns (strip s holds B[k][4s .. 4s+3] for k < n at
  ;; Bp + (s·n + k)·32) and C m × p (row-major, p a multiple of 4). upperOnly = 1 + r0 (r0 the index of C's row 0 in a
  ;; larger matrix, a multiple of 4) leaves the 4 × 4 tiles wholly below that matrix's diagonal as they are (columns
  ;; 4s < r0 + i); 0 computes every tile. Two values of k per loop step. Blocked as Goto's
  ;; gemm: 256 values of the shared dimension × 64 rows of A at a time (128 kB, in L2), each strip's slice (8 kB) in
  ;; L1, and a 4 × 4 register tile (eight f64x2 accumulators) per step, so each loaded value feeds four multiply-adds.
  ;; Each entry of a tile sums its 256 products in order from 0, then adds into C: the JavaScript gemm's arithmetic,
  ;; so both give bit-identical products.
  (func (export "gemmF64") (param $A i32) (param $Bp i32) (param $C i32) (param $m i32) (param $n i32) (param $p i32)
      (param $upperOnly i32)
    (local $kk i32) (local $kEnd i32) (local $ii i32) (local $iEnd i32) (local $s i32) (local $i i32) (local $k i32)
    (local $a0 i32) (local $b i32) (local $c i32) (local $cRow i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $cRow (i32.shl (local.get $p) (i32.const 3)))
    (local.set $kk (i32.const 0))
    (block $kkDone
      (loop $kkLoop
        (br_if $kkDone (i32.ge_u (local.get $kk) (local.get $n)))
        (local.set $kEnd (select (i32.add (local.get $kk) (i32.const 256)) (local.get $n)
          (i32.lt_u (i32.add (local.get $kk) (i32.const 256)) (local.get $n))))
        (local.set $ii (i32.const 0))
        (block $iiDone
          (loop $iiLoop
            (br_if $iiDone (i32.ge_u (local.get $ii) (local.get $m)))
            (local.set $iEnd (select (i32.add (local.get $ii) (i32.const 64)) (local.get $m)
              (i32.lt_u (i32.add (local.get $ii) (i32.const 64)) (local.get $m))))
            (local.set $s (i32.const 0))
            (block $sDone
              (loop $sLoop
                (br_if $sDone (i32.ge_u (i32.shl (local.get $s) (i32.const 2)) (local.get $p)))
                (local.set $i (local.get $ii))
                (block $iDone
                  (loop $iLoop
                    (br_if $iDone (i32.ge_u (local.get $i) (local.get $iEnd)))
                    ;; with upperOnly, tiles wholly below the diagonal (4s < the row's index in the whole matrix) are
                    ;; skipped, as the JavaScript gemm does
                    (if (i32.and (i32.ne (local.get $upperOnly) (i32.const 0))
                          (i32.lt_u (i32.shl (local.get $s) (i32.const 2))
                            (i32.add (local.get $i) (i32.sub (local.get $upperOnly) (i32.const 1)))))
                      (then
                        (local.set $i (i32.add (local.get $i) (i32.const 4)))
                        (br $iLoop)))
                    (local.set $c00 (v128.const f64x2 0 0)) (local.set $c01 (v128.const f64x2 0 0))
                    (local.set $c10 (v128.const f64x2 0 0)) (local.set $c11 (v128.const f64x2 0 0))
                    (local.set $c20 (v128.const f64x2 0 0)) (local.set $c21 (v128.const f64x2 0 0))
                    (local.set $c30 (v128.const f64x2 0 0)) (local.set $c31 (v128.const f64x2 0 0))
                    ;; a0: the A strip of rows i .. i+3 at column kk; b: the B strip at row kk (both 32 bytes per k)
                    (local.set $a0 (i32.add (local.get $A)
                      (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (i32.shl (local.get $kk) (i32.const 2))) (i32.const 3))))
                    (local.set $b (i32.add (local.get $Bp)
                      (i32.shl (i32.add (i32.mul (local.get $s) (local.get $n)) (local.get $kk)) (i32.const 5))))
                    (local.set $k (local.get $kk))
                    (block $kDone
                      (loop $kLoop
                        (br_if $kDone (i32.gt_u (i32.add (local.get $k) (i32.const 2)) (local.get $kEnd)))
                        (local.set $y0 (v128.load offset=0 (local.get $b)))
                        (local.set $y1 (v128.load offset=16 (local.get $b)))
                        (local.set $x0 (v128.load64_splat offset=0 (local.get $a0)))
                        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=8 (local.get $a0)))
                        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=16 (local.get $a0)))
                        (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=24 (local.get $a0)))
                        (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $y0 (v128.load offset=32 (local.get $b)))
                        (local.set $y1 (v128.load offset=48 (local.get $b)))
                        (local.set $x0 (v128.load64_splat offset=32 (local.get $a0)))
                        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=40 (local.get $a0)))
                        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=48 (local.get $a0)))
                        (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=56 (local.get $a0)))
                        (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $a0 (i32.add (local.get $a0) (i32.const 64)))
                        (local.set $b (i32.add (local.get $b) (i32.const 64)))
                        (local.set $k (i32.add (local.get $k) (i32.const 2)))
                        (br $kLoop)))
                    (if (i32.lt_u (local.get $k) (local.get $kEnd))
                      (then
                        (local.set $y0 (v128.load offset=0 (local.get $b)))
                        (local.set $y1 (v128.load offset=16 (local.get $b)))
                        (local.set $x0 (v128.load64_splat offset=0 (local.get $a0)))
                        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=8 (local.get $a0)))
                        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=16 (local.get $a0)))
                        (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x0) (local.get $y1))))
                        (local.set $x0 (v128.load64_splat offset=24 (local.get $a0)))
                        (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x0) (local.get $y0))))
                        (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x0) (local.get $y1))))
                      ))
                    ;; C[i .. i+3][4s .. 4s+3] += the tile
                    (local.set $c (i32.add (local.get $C)
                      (i32.add (i32.mul (local.get $i) (local.get $cRow)) (i32.shl (local.get $s) (i32.const 5)))))
                    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c00)))
                    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
                    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
                    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c10)))
                    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
                    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
                    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c20)))
                    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
                    (local.set $c (i32.add (local.get $c) (local.get $cRow)))
                    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c30)))
                    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c31)))
                    (local.set $i (i32.add (local.get $i) (i32.const 4)))
                    (br $iLoop)))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $sLoop)))
            (local.set $ii (i32.add (local.get $ii) (i32.const 64)))
            (br $iiLoop)))
        (local.set $kk (i32.add (local.get $kk) (i32.const 256)))
        (br $kkLoop))))

  ;; (score, index) ordering of the neighbour heaps: true when entry 1 ranks below entry 2 (lower score, or the same
  ;; score and a higher index), so that every candidate order gives the same lists.
  (func $ranksBelow (param $s1 f64) (param $i1 i32) (param $s2 f64) (param $i2 i32) (result i32)
    (i32.or (f64.lt (local.get $s1) (local.get $s2))
      (i32.and (f64.eq (local.get $s1) (local.get $s2)) (i32.gt_s (local.get $i1) (local.get $i2)))))

  ;; Places (s, b) at the root of the min-heap (heapScores, heapIndices) of `size` entries and sifts it down.
  (func $siftDown (param $heapScores i32) (param $heapIndices i32) (param $size i32) (param $s f64) (param $b i32)
    (local $pos i32) (local $child i32) (local $right i32)
    (block $placed
      (loop $down
        (local.set $child (i32.add (i32.shl (local.get $pos) (i32.const 1)) (i32.const 1)))
        (br_if $placed (i32.ge_s (local.get $child) (local.get $size)))
        (local.set $right (i32.add (local.get $child) (i32.const 1)))
        (if (i32.lt_s (local.get $right) (local.get $size))
          (then
            (if (call $ranksBelow
                  (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $right) (i32.const 3))))
                  (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $right) (i32.const 2))))
                  (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $child) (i32.const 3))))
                  (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $child) (i32.const 2)))))
              (then (local.set $child (local.get $right))))))
        (br_if $placed (i32.eqz (call $ranksBelow
          (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $child) (i32.const 3))))
          (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $child) (i32.const 2))))
          (local.get $s) (local.get $b))))
        (f64.store (i32.add (local.get $heapScores) (i32.shl (local.get $pos) (i32.const 3)))
          (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $child) (i32.const 3)))))
        (i32.store (i32.add (local.get $heapIndices) (i32.shl (local.get $pos) (i32.const 2)))
          (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $child) (i32.const 2)))))
        (local.set $pos (local.get $child))
        (br $down)))
    (f64.store (i32.add (local.get $heapScores) (i32.shl (local.get $pos) (i32.const 3))) (local.get $s))
    (i32.store (i32.add (local.get $heapIndices) (i32.shl (local.get $pos) (i32.const 2))) (local.get $b)))

  ;; Offers (s, b) to the min-heap of at most k entries holding `size`: added while it has room, else it replaces the
  ;; root when the root ranks below it. Returns the new size.
  (func $heapPush (param $heapScores i32) (param $heapIndices i32) (param $size i32) (param $k i32) (param $s f64)
      (param $b i32) (result i32)
    (local $pos i32) (local $parent i32)
    (if (i32.lt_s (local.get $size) (local.get $k))
      (then
        (local.set $pos (local.get $size))
        (block $placed
          (loop $up
            (br_if $placed (i32.eqz (local.get $pos)))
            (local.set $parent (i32.shr_s (i32.sub (local.get $pos) (i32.const 1)) (i32.const 1)))
            (br_if $placed (i32.eqz (call $ranksBelow (local.get $s) (local.get $b)
              (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $parent) (i32.const 3))))
              (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $parent) (i32.const 2)))))))
            (f64.store (i32.add (local.get $heapScores) (i32.shl (local.get $pos) (i32.const 3)))
              (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $parent) (i32.const 3)))))
            (i32.store (i32.add (local.get $heapIndices) (i32.shl (local.get $pos) (i32.const 2)))
              (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $parent) (i32.const 2)))))
            (local.set $pos (local.get $parent))
            (br $up)))
        (f64.store (i32.add (local.get $heapScores) (i32.shl (local.get $pos) (i32.const 3))) (local.get $s))
        (i32.store (i32.add (local.get $heapIndices) (i32.shl (local.get $pos) (i32.const 2))) (local.get $b))
        (return (i32.add (local.get $size) (i32.const 1)))))
    (if (call $ranksBelow (f64.load (local.get $heapScores)) (i32.load (local.get $heapIndices)) (local.get $s) (local.get $b))
      (then (call $siftDown (local.get $heapScores) (local.get $heapIndices) (local.get $size) (local.get $s) (local.get $b))))
    (local.get $size))

  ;; The neighbour lists of rows first .. last of the similarity kernel's mode "dot" (src/neighbors/kernel.ts): for
  ;; each row a, prod[b] = Σ x · y over the co-rated pairs (each rater c of a, each other entity b rated by c; the
  ;; JavaScript loop's arithmetic in its order), then the best k entities b by (similarity, lower index first), best
  ;; first, where similarity = prod[b] · (s − 1) / (s − 1 + λ) when λ > 0 (s = the pairs' count), kept when s ≥ minSupport,
  ;; not NaN and (when positiveOnly) > 0. Row a's list goes to slots a·k .. a·k + kept of outScores / outIndices, its
  ;; length to outKept[a].
  ;; params (i32 fields, bytes): 0 rp, 4 rc, 8 rowValues, 12 cp, 16 ce, 20 columnValues, 24 outScores, 28 outIndices,
  ;;   32 outKept, 36 n, 40 k, 44 minSupport, 48 positiveOnly, 52 productsOnly (1 when positiveOnly, minSupport ≤ 1 and
  ;;   λ = 0: a row that visits at least n / 2 pairs then skips the counts and the touched list, and its candidates are
  ;;   the entities with prod > 0, found by one scan); f64 at 56 shrinkage λ. Shared by every thread.
  ;; work (one per thread, zero on entry and on exit): prod f64[n], count i32[n], touched i32[n], heap scores f64[k],
  ;;   heap indices i32[k].
  (func (export "neighborRowsDot") (param $first i32) (param $last i32) (param $params i32) (param $work i32)
    (local $rp i32) (local $rc i32) (local $rowValues i32) (local $cp i32) (local $ce i32) (local $columnValues i32)
    (local $outScores i32) (local $outIndices i32) (local $outKept i32) (local $n i32) (local $k i32)
    (local $minSupport i32) (local $positiveOnly i32) (local $shrinkage f64)
    (local $prod i32) (local $count i32) (local $touched i32) (local $heapScores i32) (local $heapIndices i32)
    (local $a i32) (local $p i32) (local $end i32) (local $c i32) (local $x f64) (local $q i32) (local $qEnd i32)
    (local $b i32) (local $countAt i32) (local $prodAt i32) (local $support i32) (local $touchedCount i32) (local $t i32)
    (local $size i32) (local $similarity f64) (local $pos i32) (local $base i32) (local $productsOnly i32)
    (local $pairs i32)
    (local.set $rp (i32.load (local.get $params)))
    (local.set $rc (i32.load offset=4 (local.get $params)))
    (local.set $rowValues (i32.load offset=8 (local.get $params)))
    (local.set $cp (i32.load offset=12 (local.get $params)))
    (local.set $ce (i32.load offset=16 (local.get $params)))
    (local.set $columnValues (i32.load offset=20 (local.get $params)))
    (local.set $outScores (i32.load offset=24 (local.get $params)))
    (local.set $outIndices (i32.load offset=28 (local.get $params)))
    (local.set $outKept (i32.load offset=32 (local.get $params)))
    (local.set $n (i32.load offset=36 (local.get $params)))
    (local.set $k (i32.load offset=40 (local.get $params)))
    (local.set $minSupport (i32.load offset=44 (local.get $params)))
    (local.set $positiveOnly (i32.load offset=48 (local.get $params)))
    (local.set $productsOnly (i32.load offset=52 (local.get $params)))
    (local.set $shrinkage (f64.load offset=56 (local.get $params)))
    (local.set $prod (local.get $work))
    (local.set $count (i32.add (local.get $work) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $touched (i32.add (local.get $count) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $heapScores (i32.add (local.get $touched) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $heapIndices (i32.add (local.get $heapScores) (i32.shl (local.get $k) (i32.const 3))))
    (local.set $a (local.get $first))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $a) (local.get $last)))
        (local.set $touchedCount (i32.const 0))
        (local.set $size (i32.const 0))
        (local.set $p (i32.load (i32.add (local.get $rp) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $rp) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $pairs (i32.const 0))
        (if (local.get $productsOnly)
          (then
            (loop $count
              (if (i32.lt_s (local.get $p) (local.get $end))
                (then
                  (local.set $c (i32.load (i32.add (local.get $rc) (i32.shl (local.get $p) (i32.const 2)))))
                  (local.set $pairs (i32.add (local.get $pairs)
                    (i32.sub (i32.load offset=4 (i32.add (local.get $cp) (i32.shl (local.get $c) (i32.const 2))))
                      (i32.load (i32.add (local.get $cp) (i32.shl (local.get $c) (i32.const 2)))))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $count))))
            (local.set $p (i32.load (i32.add (local.get $rp) (i32.shl (local.get $a) (i32.const 2)))))))
        (if (i32.and (local.get $productsOnly) (i32.ge_u (local.get $pairs) (i32.shr_u (local.get $n) (i32.const 1))))
          (then
            ;; a dense row: products only, then one scan of every entity
            (block $denseRaters
              (loop $denseRaterLoop
                (br_if $denseRaters (i32.ge_s (local.get $p) (local.get $end)))
                (local.set $c (i32.load (i32.add (local.get $rc) (i32.shl (local.get $p) (i32.const 2)))))
                (local.set $x (f64.load (i32.add (local.get $rowValues) (i32.shl (local.get $p) (i32.const 3)))))
                (local.set $q (i32.load (i32.add (local.get $cp) (i32.shl (local.get $c) (i32.const 2)))))
                (local.set $qEnd (i32.load offset=4 (i32.add (local.get $cp) (i32.shl (local.get $c) (i32.const 2)))))
                (block $denseEntities
                  (loop $denseEntityLoop
                    (br_if $denseEntities (i32.ge_s (local.get $q) (local.get $qEnd)))
                    (local.set $b (i32.load (i32.add (local.get $ce) (i32.shl (local.get $q) (i32.const 2)))))
                    (if (i32.ne (local.get $b) (local.get $a))
                      (then
                        (local.set $prodAt (i32.add (local.get $prod) (i32.shl (local.get $b) (i32.const 3))))
                        (f64.store (local.get $prodAt) (f64.add (f64.load (local.get $prodAt))
                          (f64.mul (local.get $x) (f64.load (i32.add (local.get $columnValues) (i32.shl (local.get $q) (i32.const 3)))))))))
                    (local.set $q (i32.add (local.get $q) (i32.const 1)))
                    (br $denseEntityLoop)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $denseRaterLoop)))
            (local.set $b (i32.const 0))
            (block $scanned
              (loop $scan
                (br_if $scanned (i32.ge_s (local.get $b) (local.get $n)))
                (local.set $prodAt (i32.add (local.get $prod) (i32.shl (local.get $b) (i32.const 3))))
                (local.set $similarity (f64.load (local.get $prodAt)))
                (f64.store (local.get $prodAt) (f64.const 0))
                (if (f64.gt (local.get $similarity) (f64.const 0))
                  (then
                    (if (i32.eqz (i32.and (i32.eq (local.get $size) (local.get $k))
                          (f64.lt (local.get $similarity) (f64.load (local.get $heapScores)))))
                      (then
                        (local.set $size (call $heapPush (local.get $heapScores) (local.get $heapIndices) (local.get $size)
                          (local.get $k) (local.get $similarity) (local.get $b)))))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $scan))))
          (else
        ;; accumulate over the co-rated pairs
        (block $raters
          (loop $raterLoop
            (br_if $raters (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $c (i32.load (i32.add (local.get $rc) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $x (f64.load (i32.add (local.get $rowValues) (i32.shl (local.get $p) (i32.const 3)))))
            (local.set $q (i32.load (i32.add (local.get $cp) (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $qEnd (i32.load offset=4 (i32.add (local.get $cp) (i32.shl (local.get $c) (i32.const 2)))))
            (block $entities
              (loop $entityLoop
                (br_if $entities (i32.ge_s (local.get $q) (local.get $qEnd)))
                (local.set $b (i32.load (i32.add (local.get $ce) (i32.shl (local.get $q) (i32.const 2)))))
                (if (i32.ne (local.get $b) (local.get $a))
                  (then
                    (local.set $countAt (i32.add (local.get $count) (i32.shl (local.get $b) (i32.const 2))))
                    (local.set $support (i32.load (local.get $countAt)))
                    (if (i32.eqz (local.get $support))
                      (then
                        (i32.store (i32.add (local.get $touched) (i32.shl (local.get $touchedCount) (i32.const 2))) (local.get $b))
                        (local.set $touchedCount (i32.add (local.get $touchedCount) (i32.const 1)))))
                    (i32.store (local.get $countAt) (i32.add (local.get $support) (i32.const 1)))
                    (local.set $prodAt (i32.add (local.get $prod) (i32.shl (local.get $b) (i32.const 3))))
                    (f64.store (local.get $prodAt) (f64.add (f64.load (local.get $prodAt))
                      (f64.mul (local.get $x) (f64.load (i32.add (local.get $columnValues) (i32.shl (local.get $q) (i32.const 3)))))))))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $entityLoop)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $raterLoop)))
        ;; the best k of the touched entities (any order: the heap's ordering is total), accumulators reset
        (local.set $t (i32.const 0))
        (block $candidatesDone
          (loop $candidates
            (br_if $candidatesDone (i32.ge_s (local.get $t) (local.get $touchedCount)))
            (local.set $b (i32.load (i32.add (local.get $touched) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $countAt (i32.add (local.get $count) (i32.shl (local.get $b) (i32.const 2))))
            (local.set $prodAt (i32.add (local.get $prod) (i32.shl (local.get $b) (i32.const 3))))
            (local.set $support (i32.load (local.get $countAt)))
            (local.set $similarity (f64.load (local.get $prodAt)))
            (i32.store (local.get $countAt) (i32.const 0))
            (f64.store (local.get $prodAt) (f64.const 0))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br_if $candidates (i32.lt_s (local.get $support) (local.get $minSupport)))
            (if (f64.gt (local.get $shrinkage) (f64.const 0))
              (then
                (local.set $similarity (f64.mul (local.get $similarity)
                  (f64.div (f64.convert_i32_s (i32.sub (local.get $support) (i32.const 1)))
                    (f64.add (f64.convert_i32_s (i32.sub (local.get $support) (i32.const 1))) (local.get $shrinkage)))))))
            (br_if $candidates (f64.ne (local.get $similarity) (local.get $similarity)))
            (br_if $candidates (i32.and (local.get $positiveOnly) (f64.le (local.get $similarity) (f64.const 0))))
            ;; most candidates rank below a full heap's root: one comparison
            (br_if $candidates (i32.and (i32.eq (local.get $size) (local.get $k))
              (f64.lt (local.get $similarity) (f64.load (local.get $heapScores)))))
            (local.set $size (call $heapPush (local.get $heapScores) (local.get $heapIndices) (local.get $size) (local.get $k)
              (local.get $similarity) (local.get $b)))
            (br $candidates)))))
        ;; heap sort into the row's slots, best first
        (i32.store (i32.add (local.get $outKept) (i32.shl (local.get $a) (i32.const 2))) (local.get $size))
        (local.set $base (i32.mul (local.get $a) (local.get $k)))
        (block $sorted
          (loop $pop
            (br_if $sorted (i32.eqz (local.get $size)))
            (local.set $size (i32.sub (local.get $size) (i32.const 1)))
            (local.set $pos (i32.add (local.get $base) (local.get $size)))
            (f64.store (i32.add (local.get $outScores) (i32.shl (local.get $pos) (i32.const 3))) (f64.load (local.get $heapScores)))
            (i32.store (i32.add (local.get $outIndices) (i32.shl (local.get $pos) (i32.const 2))) (i32.load (local.get $heapIndices)))
            (call $siftDown (local.get $heapScores) (local.get $heapIndices) (local.get $size)
              (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $size) (i32.const 3))))
              (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $size) (i32.const 2)))))
            (br $pop)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rows))))

  ;; The top k of rows firstRow .. lastRow of a block of float32 scores (src/linalg/scoring.ts, topKAgainstFactors): for
  ;; each row, the k best items by (score, lower index first), best first, skipping the items of the row's user in the
  ;; exclusion matrix (sorted indices), as the JavaScript selectTopK over the row widened to float64. A row with a
  ;; non-finite score anywhere (excluded items too) gets count −1 and no list: the caller rescores it in float64.
  ;; params (i32 fields, bytes): 0 scores (rows of n floats), 4 n, 8 excludeIndptr (0: no exclusion), 12 excludeIndices,
  ;;   16 k, 20 outIndices (i32, k per row), 24 outScores (f64, k per row), 28 outCounts (i32 per row), 32 firstUser
  ;;   (the user of the block's row 0, for excludeIndptr). heap: f64[k] scores then i32[k] indices, one per thread.
  (func (export "selectTopKRowsF32") (param $params i32) (param $firstRow i32) (param $lastRow i32) (param $heap i32)
    (local $scores i32) (local $n i32) (local $excludeIndptr i32) (local $excludeIndices i32) (local $k i32)
    (local $outIndices i32) (local $outScores i32) (local $outCounts i32) (local $firstUser i32)
    (local $heapScores i32) (local $heapIndices i32) (local $row i32) (local $rowScores i32) (local $i i32)
    (local $e i32) (local $eEnd i32) (local $nextExcluded i32) (local $size i32) (local $bad i32) (local $s f32)
    (local $score f64) (local $base i32) (local $pos i32)
    (local.set $scores (i32.load (local.get $params)))
    (local.set $n (i32.load offset=4 (local.get $params)))
    (local.set $excludeIndptr (i32.load offset=8 (local.get $params)))
    (local.set $excludeIndices (i32.load offset=12 (local.get $params)))
    (local.set $k (i32.load offset=16 (local.get $params)))
    (local.set $outIndices (i32.load offset=20 (local.get $params)))
    (local.set $outScores (i32.load offset=24 (local.get $params)))
    (local.set $outCounts (i32.load offset=28 (local.get $params)))
    (local.set $firstUser (i32.load offset=32 (local.get $params)))
    (local.set $heapScores (local.get $heap))
    (local.set $heapIndices (i32.add (local.get $heap) (i32.shl (local.get $k) (i32.const 3))))
    (local.set $row (local.get $firstRow))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $row) (local.get $lastRow)))
        (local.set $rowScores (i32.add (local.get $scores) (i32.shl (i32.mul (local.get $row) (local.get $n)) (i32.const 2))))
        ;; the first excluded item (n when none)
        (local.set $e (i32.const 0))
        (local.set $eEnd (i32.const 0))
        (if (local.get $excludeIndptr)
          (then
            (local.set $e (i32.load (i32.add (local.get $excludeIndptr)
              (i32.shl (i32.add (local.get $firstUser) (local.get $row)) (i32.const 2)))))
            (local.set $eEnd (i32.load offset=4 (i32.add (local.get $excludeIndptr)
              (i32.shl (i32.add (local.get $firstUser) (local.get $row)) (i32.const 2)))))))
        (local.set $nextExcluded (select
          (i32.load (i32.add (local.get $excludeIndices) (i32.shl (local.get $e) (i32.const 2))))
          (local.get $n)
          (i32.lt_s (local.get $e) (local.get $eEnd))))
        (local.set $size (i32.const 0))
        (local.set $bad (i32.const 0))
        (local.set $i (i32.const 0))
        (block $itemsDone
          (loop $items
            (br_if $itemsDone (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $s (f32.load (i32.add (local.get $rowScores) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $bad (i32.or (local.get $bad) (f32.ne (f32.sub (local.get $s) (local.get $s)) (f32.const 0))))
            (if (i32.eq (local.get $i) (local.get $nextExcluded))
              (then
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (local.set $nextExcluded (select
                  (i32.load (i32.add (local.get $excludeIndices) (i32.shl (local.get $e) (i32.const 2))))
                  (local.get $n)
                  (i32.lt_s (local.get $e) (local.get $eEnd)))))
              (else
                (local.set $score (f64.promote_f32 (local.get $s)))
                (if (i32.eqz (i32.and (i32.eq (local.get $size) (local.get $k))
                      (f64.lt (local.get $score) (f64.load (local.get $heapScores)))))
                  (then
                    (local.set $size (call $heapPush (local.get $heapScores) (local.get $heapIndices) (local.get $size)
                      (local.get $k) (local.get $score) (local.get $i)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $items)))
        (if (local.get $bad)
          (then (i32.store (i32.add (local.get $outCounts) (i32.shl (local.get $row) (i32.const 2))) (i32.const -1)))
          (else
            (i32.store (i32.add (local.get $outCounts) (i32.shl (local.get $row) (i32.const 2))) (local.get $size))
            (local.set $base (i32.mul (local.get $row) (local.get $k)))
            (block $sorted
              (loop $pop
                (br_if $sorted (i32.eqz (local.get $size)))
                (local.set $size (i32.sub (local.get $size) (i32.const 1)))
                (local.set $pos (i32.add (local.get $base) (local.get $size)))
                (f64.store (i32.add (local.get $outScores) (i32.shl (local.get $pos) (i32.const 3))) (f64.load (local.get $heapScores)))
                (i32.store (i32.add (local.get $outIndices) (i32.shl (local.get $pos) (i32.const 2))) (i32.load (local.get $heapIndices)))
                (call $siftDown (local.get $heapScores) (local.get $heapIndices) (local.get $size)
                  (f64.load (i32.add (local.get $heapScores) (i32.shl (local.get $size) (i32.const 3))))
                  (i32.load (i32.add (local.get $heapIndices) (i32.shl (local.get $size) (i32.const 2)))))
                (br $pop)))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; C += S · B in float64 for S sparse (CSR: indptr, indices, values) with `rows` rows, B dense n × p and C rows × p
  ;; (row-major): each stored entry s(r, c) adds s · (row c of B) to row r of C, pairs of columns in f64x2 lanes and an
  ;; odd last column alone: the JavaScript spmm's arithmetic per entry of C, in its order (bit-identical).
  (func (export "spmmF64") (param $rows i32) (param $indptr i32) (param $indices i32) (param $values i32) (param $B i32)
      (param $p i32) (param $C i32)
    (local $r i32) (local $q i32) (local $qEnd i32) (local $a f64) (local $av v128) (local $b i32) (local $c i32)
    (local $j i32) (local $pairs i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $p) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $p) (i32.const 1)) (i32.const 4)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $c (i32.add (local.get $C) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $q (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $qEnd (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $r) (i32.const 2)))))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_s (local.get $q) (local.get $qEnd)))
            (local.set $a (f64.load (i32.add (local.get $values) (i32.shl (local.get $q) (i32.const 3)))))
            (local.set $av (f64x2.splat (local.get $a)))
            (local.set $b (i32.add (local.get $B)
              (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $q) (i32.const 2)))) (local.get $rowBytes))))
            (local.set $j (i32.const 0))
            (block $pairsDone
              (loop $pairLoop
                (br_if $pairsDone (i32.ge_u (local.get $j) (local.get $pairs)))
                (v128.store (i32.add (local.get $c) (local.get $j))
                  (f64x2.add (v128.load (i32.add (local.get $c) (local.get $j)))
                    (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $b) (local.get $j))))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $pairLoop)))
            (if (i32.lt_u (local.get $j) (local.get $rowBytes))
              (then
                (f64.store (i32.add (local.get $c) (local.get $j))
                  (f64.add (f64.load (i32.add (local.get $c) (local.get $j)))
                    (f64.mul (local.get $a) (f64.load (i32.add (local.get $b) (local.get $j))))))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $entries)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; out[r] = Σ_k T[r][k] · u[k] for a float32 table T (rows × f, row-major, no padding) and a float64 vector u, summed
  ;; in float64 exactly as the JavaScript gemvF32 (src/linalg/kernels.ts) sums: for rows in whole groups of four, the
  ;; even k in one sum and the odd k in another (an odd f's last term into the even sum), then even + odd; the last
  ;; rows % 4 rows in one sum from k = 0. Bit-identical. Two rows per step share each pair of u.
  (func $gemvF32F64 (export "gemvF32F64") (param $T i32) (param $rows i32) (param $f i32) (param $u i32) (param $out i32)
    (local $rows4 i32) (local $rowBytes i32) (local $pairBytes i32) (local $r i32) (local $a i32) (local $b i32)
    (local $k i32) (local $uk v128) (local $accA v128) (local $accB v128) (local $s f64) (local $last f64)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $pairBytes (i32.shl (i32.shr_u (local.get $f) (i32.const 1)) (i32.const 3)))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $r) (local.get $rows4)))
        (local.set $a (i32.add (local.get $T) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $b (i32.add (local.get $a) (local.get $rowBytes)))
        (local.set $accA (v128.const f64x2 0 0))
        (local.set $accB (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        ;; k counts float32 bytes of the row in steps of two floats (8 bytes); u advances twice as fast
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $pairBytes)))
            (local.set $uk (v128.load (i32.add (local.get $u) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $accA (f64x2.add (local.get $accA)
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $a) (local.get $k)))) (local.get $uk))))
            (local.set $accB (f64x2.add (local.get $accB)
              (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $b) (local.get $k)))) (local.get $uk))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $kLoop)))
        (if (i32.and (local.get $f) (i32.const 1))
          (then
            (local.set $last (f64.load (i32.add (local.get $u) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $accA (f64x2.replace_lane 0 (local.get $accA) (f64.add (f64x2.extract_lane 0 (local.get $accA))
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $a) (local.get $k)))) (local.get $last)))))
            (local.set $accB (f64x2.replace_lane 0 (local.get $accB) (f64.add (f64x2.extract_lane 0 (local.get $accB))
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $b) (local.get $k)))) (local.get $last)))))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $accA)) (f64x2.extract_lane 1 (local.get $accA))))
        (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $accB)) (f64x2.extract_lane 1 (local.get $accB))))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $pairs)))
    ;; the last rows % 4 rows: one sum each, from k = 0
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $a (i32.add (local.get $T) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $s (f64.const 0))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $rowBytes)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $a) (local.get $k))))
                (f64.load (i32.add (local.get $u) (i32.shl (local.get $k) (i32.const 1)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $kLoop)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (local.get $s))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $tail))))

  ;; gemvF32F64 for two vectors u0 and u1 at once (into out0 and out1), each entry summed as gemvF32F64 sums it
  ;; (bit-identical): the rows in whole groups of four two at a time, each loaded pair of table values feeding both
  ;; vectors, so the table is read and widened once for two; the last rows % 4 rows by gemvF32F64 per vector.
  (func $gemvPairF32F64 (param $T i32) (param $rows i32) (param $f i32) (param $u0 i32) (param $u1 i32) (param $out0 i32)
      (param $out1 i32)
    (local $rows4 i32) (local $rowBytes i32) (local $pairBytes i32) (local $r i32) (local $a i32) (local $b i32)
    (local $k i32) (local $x v128) (local $y v128) (local $v0 v128) (local $v1 v128)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128) (local $last0 f64) (local $last1 f64)
    (local $xa f64) (local $xb f64)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $pairBytes (i32.shl (i32.shr_u (local.get $f) (i32.const 1)) (i32.const 3)))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $r) (local.get $rows4)))
        (local.set $a (i32.add (local.get $T) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $b (i32.add (local.get $a) (local.get $rowBytes)))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $b0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0)) (local.set $b1 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $pairBytes)))
            (local.set $x (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $a) (local.get $k)))))
            (local.set $y (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $b) (local.get $k)))))
            (local.set $v0 (v128.load (i32.add (local.get $u0) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $v1 (v128.load (i32.add (local.get $u1) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $x) (local.get $v0))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $y) (local.get $v0))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $x) (local.get $v1))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $y) (local.get $v1))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $kLoop)))
        (if (i32.and (local.get $f) (i32.const 1))
          (then
            (local.set $last0 (f64.load (i32.add (local.get $u0) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $last1 (f64.load (i32.add (local.get $u1) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $xa (f64.promote_f32 (f32.load (i32.add (local.get $a) (local.get $k)))))
            (local.set $xb (f64.promote_f32 (f32.load (i32.add (local.get $b) (local.get $k)))))
            (local.set $a0 (f64x2.replace_lane 0 (local.get $a0)
              (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64.mul (local.get $xa) (local.get $last0)))))
            (local.set $b0 (f64x2.replace_lane 0 (local.get $b0)
              (f64.add (f64x2.extract_lane 0 (local.get $b0)) (f64.mul (local.get $xb) (local.get $last0)))))
            (local.set $a1 (f64x2.replace_lane 0 (local.get $a1)
              (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64.mul (local.get $xa) (local.get $last1)))))
            (local.set $b1 (f64x2.replace_lane 0 (local.get $b1)
              (f64.add (f64x2.extract_lane 0 (local.get $b1)) (f64.mul (local.get $xb) (local.get $last1)))))))
        (f64.store (i32.add (local.get $out0) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (f64.store offset=8 (i32.add (local.get $out0) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $b0)) (f64x2.extract_lane 1 (local.get $b0))))
        (f64.store (i32.add (local.get $out1) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))))
        (f64.store offset=8 (i32.add (local.get $out1) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $b1)) (f64x2.extract_lane 1 (local.get $b1))))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $rows4) (local.get $rows))
      (then
        ;; the last rows % 4 rows of each vector: gemvF32F64 on the table from row rows4 (fewer than four rows, so it
        ;; sums each in one sum from k = 0, as it would have in the whole table)
        (call $gemvF32F64 (i32.add (local.get $T) (i32.mul (local.get $rows4) (local.get $rowBytes)))
          (i32.sub (local.get $rows) (local.get $rows4)) (local.get $f) (local.get $u0)
          (i32.add (local.get $out0) (i32.shl (local.get $rows4) (i32.const 3))))
        (call $gemvF32F64 (i32.add (local.get $T) (i32.mul (local.get $rows4) (local.get $rowBytes)))
          (i32.sub (local.get $rows) (local.get $rows4)) (local.get $f) (local.get $u1)
          (i32.add (local.get $out1) (i32.shl (local.get $rows4) (i32.const 3)))))))

  ;; gemvF32F64 for the vectors first .. last − 1 of U (f doubles each, one after another), vector c into row c of out
  ;; (rows doubles each), two vectors at a time: each row bit-identical to one gemvF32F64 call. Threads take disjoint
  ;; ranges of vectors.
  (func (export "gemvManyF32F64") (param $T i32) (param $rows i32) (param $f i32) (param $U i32) (param $first i32)
      (param $last i32) (param $out i32)
    (local $c i32)
    (local.set $c (local.get $first))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $c) (local.get $last)))
        (if (i32.lt_u (i32.add (local.get $c) (i32.const 1)) (local.get $last))
          (then
            (call $gemvPairF32F64 (local.get $T) (local.get $rows) (local.get $f)
              (i32.add (local.get $U) (i32.mul (local.get $c) (i32.shl (local.get $f) (i32.const 3))))
              (i32.add (local.get $U) (i32.mul (i32.add (local.get $c) (i32.const 1)) (i32.shl (local.get $f) (i32.const 3))))
              (i32.add (local.get $out) (i32.mul (local.get $c) (i32.shl (local.get $rows) (i32.const 3))))
              (i32.add (local.get $out) (i32.mul (i32.add (local.get $c) (i32.const 1)) (i32.shl (local.get $rows) (i32.const 3)))))
            (local.set $c (i32.add (local.get $c) (i32.const 2))))
          (else
            (call $gemvF32F64 (local.get $T) (local.get $rows) (local.get $f)
              (i32.add (local.get $U) (i32.mul (local.get $c) (i32.shl (local.get $f) (i32.const 3))))
              (i32.add (local.get $out) (i32.mul (local.get $c) (i32.shl (local.get $rows) (i32.const 3)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))))
        (br $vectors))))

  ;; out[i] = T_i · u (float32) for i < rows, T rows × stride floats: one pass over the table, two rows at a time with
  ;; two accumulators each, so it runs near the memory's read bandwidth.
  (func (export "gemvF32") (param $T i32) (param $rows i32) (param $stride i32) (param $u i32) (param $out i32)
    (local $bytes i32) (local $i i32) (local $k i32) (local $r0 i32) (local $r1 i32) (local $uk v128) (local $uk2 v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $rows)))
        (local.set $r0 (i32.add (local.get $T) (i32.mul (local.get $i) (local.get $bytes))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $bytes)))
        (local.set $a0 (v128.const f32x4 0 0 0 0)) (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $b0 (v128.const f32x4 0 0 0 0)) (local.set $b1 (v128.const f32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $twoDone
          (loop $two
            (br_if $twoDone (i32.gt_u (i32.add (local.get $k) (i32.const 32)) (local.get $bytes)))
            (local.set $uk (v128.load (i32.add (local.get $u) (local.get $k))))
            (local.set $uk2 (v128.load offset=16 (i32.add (local.get $u) (local.get $k))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $k))) (local.get $uk))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r0) (local.get $k))) (local.get $uk2))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $k))) (local.get $uk))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r1) (local.get $k))) (local.get $uk2))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br $two)))
        (if (i32.lt_u (local.get $k) (local.get $bytes))
          (then
            (local.set $uk (v128.load (i32.add (local.get $u) (local.get $k))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $k))) (local.get $uk))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $k))) (local.get $uk))))))
        (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
        (local.set $b0 (f32x4.add (local.get $b0) (local.get $b1)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
            (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (f32.add (f32.add (f32x4.extract_lane 0 (local.get $b0)) (f32x4.extract_lane 1 (local.get $b0)))
            (f32.add (f32x4.extract_lane 2 (local.get $b0)) (f32x4.extract_lane 3 (local.get $b0)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $rows))
      (then
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $dotF32 (i32.add (local.get $T) (i32.mul (local.get $i) (local.get $bytes))) (local.get $u) (local.get $bytes))))))

  ;; BPR's SGD steps (Rendle et al. 2009), float64, for `count` sampled triples (u, i, j) at `samples` (i32 × 3 each):
  ;; the JavaScript bprStep's operations in its order (f64x2 lanes hold the even and odd terms of the dot product), so
  ;; both give bit-identical models. P and Q have `stride` doubles per row (a multiple of 2, padding zero).
  (func (export "bprSteps")
      (param $P i32) (param $Q i32) (param $bias i32) (param $stride i32) (param $samples i32) (param $count i32)
      (param $lr f64) (param $reg f64)
    (local $bytes i32) (local $t i32) (local $s i32) (local $pu i32) (local $qi i32) (local $qj i32) (local $k i32)
    (local $acc v128) (local $a v128) (local $b v128) (local $c v128) (local $decay v128) (local $lz v128)
    (local $bi i32) (local $bj i32) (local $bI f64) (local $bJ f64) (local $x f64) (local $z f64)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $decay (f64x2.splat (f64.sub (f64.const 1) (f64.mul (local.get $lr) (local.get $reg)))))
    (local.set $t (i32.const 0))
    (block $done
      (loop $steps
        (br_if $done (i32.ge_u (local.get $t) (local.get $count)))
        (local.set $s (i32.add (local.get $samples) (i32.mul (local.get $t) (i32.const 12))))
        (local.set $pu (i32.add (local.get $P) (i32.mul (i32.load (local.get $s)) (local.get $bytes))))
        (local.set $qi (i32.add (local.get $Q) (i32.mul (i32.load offset=4 (local.get $s)) (local.get $bytes))))
        (local.set $qj (i32.add (local.get $Q) (i32.mul (i32.load offset=8 (local.get $s)) (local.get $bytes))))
        (local.set $bi (i32.add (local.get $bias) (i32.shl (i32.load offset=4 (local.get $s)) (i32.const 3))))
        (local.set $bj (i32.add (local.get $bias) (i32.shl (i32.load offset=8 (local.get $s)) (i32.const 3))))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (block $dotDone
          (loop $dot
            (br_if $dotDone (i32.ge_u (local.get $k) (local.get $bytes)))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (v128.load (i32.add (local.get $pu) (local.get $k)))
                (f64x2.sub (v128.load (i32.add (local.get $qi) (local.get $k))) (v128.load (i32.add (local.get $qj) (local.get $k)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $dot)))
        (local.set $bI (f64.load (local.get $bi)))
        (local.set $bJ (f64.load (local.get $bj)))
        (local.set $x (f64.add (f64.add (f64.sub (local.get $bI) (local.get $bJ)) (f64x2.extract_lane 0 (local.get $acc)))
          (f64x2.extract_lane 1 (local.get $acc))))
        (local.set $z (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (local.get $x)))))
        (f64.store (local.get $bi) (f64.add (local.get $bI)
          (f64.mul (local.get $lr) (f64.sub (local.get $z) (f64.mul (local.get $reg) (local.get $bI))))))
        (f64.store (local.get $bj) (f64.add (local.get $bJ)
          (f64.mul (local.get $lr) (f64.sub (f64.neg (local.get $z)) (f64.mul (local.get $reg) (local.get $bJ))))))
        (local.set $lz (f64x2.splat (f64.mul (local.get $lr) (local.get $z))))
        (local.set $k (i32.const 0))
        (block $updateDone
          (loop $update
            (br_if $updateDone (i32.ge_u (local.get $k) (local.get $bytes)))
            (local.set $a (v128.load (i32.add (local.get $pu) (local.get $k))))
            (local.set $b (v128.load (i32.add (local.get $qi) (local.get $k))))
            (local.set $c (v128.load (i32.add (local.get $qj) (local.get $k))))
            (v128.store (i32.add (local.get $pu) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $a)) (f64x2.mul (local.get $lz) (f64x2.sub (local.get $b) (local.get $c)))))
            (v128.store (i32.add (local.get $qi) (local.get $k))
              (f64x2.add (f64x2.mul (local.get $decay) (local.get $b)) (f64x2.mul (local.get $lz) (local.get $a))))
            (v128.store (i32.add (local.get $qj) (local.get $k))
              (f64x2.sub (f64x2.mul (local.get $decay) (local.get $c)) (f64x2.mul (local.get $lz) (local.get $a))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $update)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $steps))))

  ;; scoreBlockF32 over all n rows of B in chunks of `chunk` rows (each chunk, read from cache by every row of A):
  ;; C[i · ldc + j] = A_i · B_j for i < m, j < n. One call per worker thread for its rows of A.
  (func (export "scoreChunkedF32")
      (param $A i32) (param $m i32) (param $B i32) (param $n i32) (param $stride i32) (param $C i32) (param $ldc i32)
      (param $chunk i32)
    (local $j i32) (local $count i32)
    (local.set $j (i32.const 0))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $count (select (local.get $chunk) (i32.sub (local.get $n) (local.get $j))
          (i32.le_u (i32.add (local.get $j) (local.get $chunk)) (local.get $n))))
        (call $scoreBlockF32 (local.get $A) (local.get $m)
          (i32.add (local.get $B) (i32.mul (local.get $j) (i32.shl (local.get $stride) (i32.const 2))))
          (local.get $count) (local.get $stride) (i32.add (local.get $C) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldc))
        (local.set $j (i32.add (local.get $j) (local.get $chunk)))
        (br $chunks))))

  ;; C[i · ldc + j] = A_i · B_j (float32) for i < m, j < n: A m rows and B n rows, both of `stride` floats (a
  ;; multiple of 4, padding zero), C row-major with row stride `ldc` floats. Blocks of 2 rows of A × 4 rows of B: eight
  ;; f32x4 accumulators, each loaded vector feeding two or four multiply-adds.
  (func $scoreBlockF32 (export "scoreBlockF32")
      (param $A i32) (param $m i32) (param $B i32) (param $n i32) (param $stride i32) (param $C i32) (param $ldc i32)
    (local $bytes i32) (local $i i32) (local $j i32) (local $k i32) (local $a0 i32) (local $a1 i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $c i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $iDone
      (loop $iLoop
        (br_if $iDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $bytes))))
        ;; the second row of the pair: row i + 1, or row i again at the end of an odd m (its results are not stored)
        (local.set $a1 (select (i32.add (local.get $a0) (local.get $bytes)) (local.get $a0)
          (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jLoop
            (br_if $jDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
            (local.set $b0 (i32.add (local.get $B) (i32.mul (local.get $j) (local.get $bytes))))
            (local.set $b1 (i32.add (local.get $b0) (local.get $bytes)))
            (local.set $b2 (i32.add (local.get $b1) (local.get $bytes)))
            (local.set $b3 (i32.add (local.get $b2) (local.get $bytes)))
            (local.set $s00 (v128.const f32x4 0 0 0 0)) (local.set $s01 (v128.const f32x4 0 0 0 0))
            (local.set $s02 (v128.const f32x4 0 0 0 0)) (local.set $s03 (v128.const f32x4 0 0 0 0))
            (local.set $s10 (v128.const f32x4 0 0 0 0)) (local.set $s11 (v128.const f32x4 0 0 0 0))
            (local.set $s12 (v128.const f32x4 0 0 0 0)) (local.set $s13 (v128.const f32x4 0 0 0 0))
            (local.set $k (i32.const 0))
            (block $kDone
              (loop $kLoop
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $bytes)))
                (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $k))))
                (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $k))))
                (local.set $y (v128.load (i32.add (local.get $b0) (local.get $k))))
                (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b1) (local.get $k))))
                (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b2) (local.get $k))))
                (local.set $s02 (f32x4.add (local.get $s02) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $s12 (f32x4.add (local.get $s12) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b3) (local.get $k))))
                (local.set $s03 (f32x4.add (local.get $s03) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $s13 (f32x4.add (local.get $s13) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $kLoop)))
            ;; transpose-and-add: lane t of the result = Σ of accumulator s0t
            (local.set $c (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))
            (v128.store (local.get $c) (call $horizontal4 (local.get $s00) (local.get $s01) (local.get $s02) (local.get $s03)))
            (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))
              (then
                (v128.store (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 2)))
                  (call $horizontal4 (local.get $s10) (local.get $s11) (local.get $s12) (local.get $s13)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jLoop)))
        ;; the last n mod 4 rows of B, one at a time
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $b0 (i32.add (local.get $B) (i32.mul (local.get $j) (local.get $bytes))))
            (local.set $c (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))
            (f32.store (local.get $c) (call $dotF32 (local.get $a0) (local.get $b0) (local.get $bytes)))
            (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))
              (then
                (f32.store (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 2)))
                  (call $dotF32 (local.get $a1) (local.get $b0) (local.get $bytes)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $iLoop))))

  ;; The four lane sums of four accumulators, as one vector: (Σ a, Σ b, Σ c, Σ d).
  (func $horizontal4 (param $a v128) (param $b v128) (param $c v128) (param $d v128) (result v128)
    ;; interleave: (a0 b0 a1 b1) + (a2 b2 a3 b3) = (a0+a2, b0+b2, a1+a3, b1+b3), same for c, d
    (local $ab v128) (local $cd v128)
    (local.set $ab (f32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b))))
    (local.set $cd (f32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d))))
    ;; (ab0 ab1 cd0 cd1) + (ab2 ab3 cd2 cd3)
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab) (local.get $cd))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab) (local.get $cd))))

  ;; LSTM forward product (lstm-kernel.ts, addMatVec): z[j] += Σ_k W[j][k] · x[k] for j < rows, with W as the
  ;; interleaved copy of lstm-wasm.ts: blocks of 8 rows, column k of block b the 8 doubles at Wi + (b·cols + k)·64
  ;; (4 f64x2; the last block padded with zero rows). Lanes over rows, not over k: each lane sums its own row from 0 in
  ;; ascending k, one multiply then one add per term (never fused), then adds its sum to z[j], the order of the
  ;; JavaScript loop, so every z[j] is bit for bit the JavaScript result. Pointers are byte offsets; x and z need only
  ;; 8-byte alignment.
  (func (export "lstmMatVecF64") (param $Wi i32) (param $rows i32) (param $cols i32) (param $x i32) (param $z i32)
    (local $j i32) (local $w i32) (local $k i32) (local $end i32) (local $rem i32) (local $zp i32)
    (local $v v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $w (local.get $Wi))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 3))))
    (local.set $j (i32.const 0))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $j) (local.get $rows)))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0)) (local.set $a3 (v128.const f64x2 0 0))
        (local.set $k (local.get $x))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $v (v128.load64_splat (local.get $k)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $w)) (local.get $v))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $w)) (local.get $v))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load offset=32 (local.get $w)) (local.get $v))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load offset=48 (local.get $w)) (local.get $v))))
            (local.set $w (i32.add (local.get $w) (i32.const 64)))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $kLoop)))
        (local.set $zp (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $rem (i32.sub (local.get $rows) (local.get $j)))
        (if (i32.ge_u (local.get $rem) (i32.const 8))
          (then
            (v128.store (local.get $zp) (f64x2.add (v128.load (local.get $zp)) (local.get $a0)))
            (v128.store offset=16 (local.get $zp) (f64x2.add (v128.load offset=16 (local.get $zp)) (local.get $a1)))
            (v128.store offset=32 (local.get $zp) (f64x2.add (v128.load offset=32 (local.get $zp)) (local.get $a2)))
            (v128.store offset=48 (local.get $zp) (f64x2.add (v128.load offset=48 (local.get $zp)) (local.get $a3))))
          (else
            ;; the last 1..7 rows: their lanes only
            (f64.store (local.get $zp) (f64.add (f64.load (local.get $zp)) (f64x2.extract_lane 0 (local.get $a0))))
            (if (i32.gt_u (local.get $rem) (i32.const 1)) (then
              (f64.store offset=8 (local.get $zp) (f64.add (f64.load offset=8 (local.get $zp)) (f64x2.extract_lane 1 (local.get $a0))))))
            (if (i32.gt_u (local.get $rem) (i32.const 2)) (then
              (f64.store offset=16 (local.get $zp) (f64.add (f64.load offset=16 (local.get $zp)) (f64x2.extract_lane 0 (local.get $a1))))))
            (if (i32.gt_u (local.get $rem) (i32.const 3)) (then
              (f64.store offset=24 (local.get $zp) (f64.add (f64.load offset=24 (local.get $zp)) (f64x2.extract_lane 1 (local.get $a1))))))
            (if (i32.gt_u (local.get $rem) (i32.const 4)) (then
              (f64.store offset=32 (local.get $zp) (f64.add (f64.load offset=32 (local.get $zp)) (f64x2.extract_lane 0 (local.get $a2))))))
            (if (i32.gt_u (local.get $rem) (i32.const 5)) (then
              (f64.store offset=40 (local.get $zp) (f64.add (f64.load offset=40 (local.get $zp)) (f64x2.extract_lane 1 (local.get $a2))))))
            (if (i32.gt_u (local.get $rem) (i32.const 6)) (then
              (f64.store offset=48 (local.get $zp) (f64.add (f64.load offset=48 (local.get $zp)) (f64x2.extract_lane 0 (local.get $a3))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $blocks))))

  ;; LSTM backward products (lstm-kernel.ts, addOuterAndTransposed), on the matrix's own row-major layout (P and grad
  ;; point at its first element, rows × cols): grad[j][k] += d[j] · x[k] for j < rows and, when dx is not 0,
  ;; dx[k] += d[j] · P[j][k], rows four at a time as dx[k] + d0·P0[k] + d1·P1[k] + d2·P2[k] + d3·P3[k] left to right,
  ;; the remaining rows one at a time. Both are elementwise over k, so lanes over k (two at a time, an odd last k
  ;; scalar) keep every element's expression and order: bit for bit the JavaScript result.
  (func (export "lstmOuterF64") (param $P i32) (param $grad i32) (param $rows i32) (param $cols i32) (param $d i32)
    (param $x i32) (param $dx i32)
    (local $j i32) (local $k i32) (local $bytes i32) (local $pairs i32) (local $r0 i32) (local $r1 i32) (local $r2 i32)
    (local $r3 i32) (local $v v128) (local $t v128) (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $s f64) (local $u f64)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $j (i32.const 0))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $rows)))
        (local.set $d0 (v128.load64_splat (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $d1 (v128.load64_splat offset=8 (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $d2 (v128.load64_splat offset=16 (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $d3 (v128.load64_splat offset=24 (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $r0 (i32.mul (local.get $j) (local.get $bytes)))
        (local.set $r1 (i32.add (local.get $r0) (local.get $bytes)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $bytes)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $bytes)))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $pairs)))
            (local.set $v (v128.load (i32.add (local.get $x) (local.get $k))))
            (v128.store (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k)))
              (f64x2.add (v128.load (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k)))) (f64x2.mul (local.get $d0) (local.get $v))))
            (v128.store (i32.add (local.get $grad) (i32.add (local.get $r1) (local.get $k)))
              (f64x2.add (v128.load (i32.add (local.get $grad) (i32.add (local.get $r1) (local.get $k)))) (f64x2.mul (local.get $d1) (local.get $v))))
            (v128.store (i32.add (local.get $grad) (i32.add (local.get $r2) (local.get $k)))
              (f64x2.add (v128.load (i32.add (local.get $grad) (i32.add (local.get $r2) (local.get $k)))) (f64x2.mul (local.get $d2) (local.get $v))))
            (v128.store (i32.add (local.get $grad) (i32.add (local.get $r3) (local.get $k)))
              (f64x2.add (v128.load (i32.add (local.get $grad) (i32.add (local.get $r3) (local.get $k)))) (f64x2.mul (local.get $d3) (local.get $v))))
            (if (local.get $dx) (then
              (local.set $t (v128.load (i32.add (local.get $dx) (local.get $k))))
              (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d0) (v128.load (i32.add (local.get $P) (i32.add (local.get $r0) (local.get $k)))))))
              (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d1) (v128.load (i32.add (local.get $P) (i32.add (local.get $r1) (local.get $k)))))))
              (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d2) (v128.load (i32.add (local.get $P) (i32.add (local.get $r2) (local.get $k)))))))
              (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d3) (v128.load (i32.add (local.get $P) (i32.add (local.get $r3) (local.get $k)))))))
              (v128.store (i32.add (local.get $dx) (local.get $k)) (local.get $t))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $kLoop)))
        (if (i32.lt_u (local.get $k) (local.get $bytes)) (then
          ;; an odd cols: the last k, scalar
          (local.set $u (f64.load (i32.add (local.get $x) (local.get $k))))
          (f64.store (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k)))
            (f64.add (f64.load (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k)))) (f64.mul (f64x2.extract_lane 0 (local.get $d0)) (local.get $u))))
          (f64.store (i32.add (local.get $grad) (i32.add (local.get $r1) (local.get $k)))
            (f64.add (f64.load (i32.add (local.get $grad) (i32.add (local.get $r1) (local.get $k)))) (f64.mul (f64x2.extract_lane 0 (local.get $d1)) (local.get $u))))
          (f64.store (i32.add (local.get $grad) (i32.add (local.get $r2) (local.get $k)))
            (f64.add (f64.load (i32.add (local.get $grad) (i32.add (local.get $r2) (local.get $k)))) (f64.mul (f64x2.extract_lane 0 (local.get $d2)) (local.get $u))))
          (f64.store (i32.add (local.get $grad) (i32.add (local.get $r3) (local.get $k)))
            (f64.add (f64.load (i32.add (local.get $grad) (i32.add (local.get $r3) (local.get $k)))) (f64.mul (f64x2.extract_lane 0 (local.get $d3)) (local.get $u))))
          (if (local.get $dx) (then
            (local.set $s (f64.load (i32.add (local.get $dx) (local.get $k))))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64x2.extract_lane 0 (local.get $d0)) (f64.load (i32.add (local.get $P) (i32.add (local.get $r0) (local.get $k)))))))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64x2.extract_lane 0 (local.get $d1)) (f64.load (i32.add (local.get $P) (i32.add (local.get $r1) (local.get $k)))))))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64x2.extract_lane 0 (local.get $d2)) (f64.load (i32.add (local.get $P) (i32.add (local.get $r2) (local.get $k)))))))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64x2.extract_lane 0 (local.get $d3)) (f64.load (i32.add (local.get $P) (i32.add (local.get $r3) (local.get $k)))))))
            (f64.store (i32.add (local.get $dx) (local.get $k)) (local.get $s))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $blocks)))
    ;; the last rows mod 4, one at a time
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $j) (local.get $rows)))
        (local.set $d0 (v128.load64_splat (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $r0 (i32.mul (local.get $j) (local.get $bytes)))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $pairs)))
            (v128.store (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k)))
              (f64x2.add (v128.load (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k))))
                (f64x2.mul (local.get $d0) (v128.load (i32.add (local.get $x) (local.get $k))))))
            (if (local.get $dx) (then
              (v128.store (i32.add (local.get $dx) (local.get $k))
                (f64x2.add (v128.load (i32.add (local.get $dx) (local.get $k)))
                  (f64x2.mul (local.get $d0) (v128.load (i32.add (local.get $P) (i32.add (local.get $r0) (local.get $k)))))))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $kLoop)))
        (if (i32.lt_u (local.get $k) (local.get $bytes)) (then
          (f64.store (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k)))
            (f64.add (f64.load (i32.add (local.get $grad) (i32.add (local.get $r0) (local.get $k))))
              (f64.mul (f64x2.extract_lane 0 (local.get $d0)) (f64.load (i32.add (local.get $x) (local.get $k))))))
          (if (local.get $dx) (then
            (f64.store (i32.add (local.get $dx) (local.get $k))
              (f64.add (f64.load (i32.add (local.get $dx) (local.get $k)))
                (f64.mul (f64x2.extract_lane 0 (local.get $d0)) (f64.load (i32.add (local.get $P) (i32.add (local.get $r0) (local.get $k)))))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rowLoop))))

  ;; LSTM backward through the cell at one step (lstm-kernel.ts, cellBackward), lanes over the H units, two at a time:
  ;; from the activated gates i, f, g, o (gates, 4H), the previous cell (cPrev, or 0 at the first step: then 0), tanh of
  ;; the cell and the output gradient (tanhCell, fromAbove), with dh = fromAbove + dhNext and dc = dh·o·(1 − tc²) + dcNext:
  ;; dz = (dc·g·i·(1 − i), dc·cPrev·f·(1 − f), dc·i·(1 − g²), dh·tc·o·(1 − o)), then dcNext = dc·f, dhNext = 0; then
  ;; bias[j] += dz[j] and, when stage is not 0, stage[j] += dz[j] for j < 4H. Each element's expression is the
  ;; JavaScript loop's, evaluated left to right: bit for bit its result. For an odd H the last pair's second lane reads
  ;; the 8 bytes after each input row (in the caller's memory) and only its first lane is stored.
  (func (export "lstmCellBackwardF64") (param $H i32) (param $gates i32) (param $cPrev i32) (param $tanhCell i32)
    (param $fromAbove i32) (param $dhNext i32) (param $dcNext i32) (param $dz i32) (param $bias i32) (param $stage i32)
    (local $k i32) (local $bytes i32) (local $gateF i32) (local $gateG i32) (local $gateO i32)
    (local $dzF i32) (local $dzG i32) (local $dzO i32)
    (local $one v128) (local $zero v128) (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $tc v128)
    (local $dh v128) (local $dc v128) (local $zi v128) (local $zf v128) (local $zg v128) (local $zo v128)
    (local.set $bytes (i32.shl (local.get $H) (i32.const 3)))
    (local.set $gateF (i32.add (local.get $gates) (local.get $bytes)))
    (local.set $gateG (i32.add (local.get $gateF) (local.get $bytes)))
    (local.set $gateO (i32.add (local.get $gateG) (local.get $bytes)))
    (local.set $dzF (i32.add (local.get $dz) (local.get $bytes)))
    (local.set $dzG (i32.add (local.get $dzF) (local.get $bytes)))
    (local.set $dzO (i32.add (local.get $dzG) (local.get $bytes)))
    (local.set $one (v128.const f64x2 1 1))
    (local.set $k (i32.const 0))
    (block $unitsDone
      (loop $units
        (br_if $unitsDone (i32.ge_u (local.get $k) (local.get $bytes)))
        (local.set $i (v128.load (i32.add (local.get $gates) (local.get $k))))
        (local.set $f (v128.load (i32.add (local.get $gateF) (local.get $k))))
        (local.set $g (v128.load (i32.add (local.get $gateG) (local.get $k))))
        (local.set $o (v128.load (i32.add (local.get $gateO) (local.get $k))))
        (local.set $tc (v128.load (i32.add (local.get $tanhCell) (local.get $k))))
        (local.set $dh (f64x2.add (v128.load (i32.add (local.get $fromAbove) (local.get $k))) (v128.load (i32.add (local.get $dhNext) (local.get $k)))))
        (local.set $dc (f64x2.add
          (f64x2.mul (f64x2.mul (local.get $dh) (local.get $o)) (f64x2.sub (local.get $one) (f64x2.mul (local.get $tc) (local.get $tc))))
          (v128.load (i32.add (local.get $dcNext) (local.get $k)))))
        (local.set $zi (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dc) (local.get $g)) (local.get $i)) (f64x2.sub (local.get $one) (local.get $i))))
        (local.set $zf (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dc)
          (if (result v128) (local.get $cPrev) (then (v128.load (i32.add (local.get $cPrev) (local.get $k)))) (else (local.get $zero))))
          (local.get $f)) (f64x2.sub (local.get $one) (local.get $f))))
        (local.set $zg (f64x2.mul (f64x2.mul (local.get $dc) (local.get $i)) (f64x2.sub (local.get $one) (f64x2.mul (local.get $g) (local.get $g)))))
        (local.set $zo (f64x2.mul (f64x2.mul (f64x2.mul (local.get $dh) (local.get $tc)) (local.get $o)) (f64x2.sub (local.get $one) (local.get $o))))
        (local.set $dc (f64x2.mul (local.get $dc) (local.get $f)))
        (if (i32.le_u (i32.add (local.get $k) (i32.const 16)) (local.get $bytes))
          (then
              (v128.store (i32.add (local.get $dz) (local.get $k)) (local.get $zi))
              (v128.store (i32.add (local.get $dzF) (local.get $k)) (local.get $zf))
              (v128.store (i32.add (local.get $dzG) (local.get $k)) (local.get $zg))
              (v128.store (i32.add (local.get $dzO) (local.get $k)) (local.get $zo))
              (v128.store (i32.add (local.get $dcNext) (local.get $k)) (local.get $dc))
              (v128.store (i32.add (local.get $dhNext) (local.get $k)) (local.get $zero)))
          (else
              (v128.store64_lane 0 (i32.add (local.get $dz) (local.get $k)) (local.get $zi))
              (v128.store64_lane 0 (i32.add (local.get $dzF) (local.get $k)) (local.get $zf))
              (v128.store64_lane 0 (i32.add (local.get $dzG) (local.get $k)) (local.get $zg))
              (v128.store64_lane 0 (i32.add (local.get $dzO) (local.get $k)) (local.get $zo))
              (v128.store64_lane 0 (i32.add (local.get $dcNext) (local.get $k)) (local.get $dc))
              (v128.store64_lane 0 (i32.add (local.get $dhNext) (local.get $k)) (local.get $zero))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $units)))
    ;; the bias and stage-weight gradients: 4H doubles, a whole number of pairs
    (local.set $bytes (i32.shl (local.get $bytes) (i32.const 2)))
    (local.set $k (i32.const 0))
    (block $gradDone
      (loop $gradLoop
        (br_if $gradDone (i32.ge_u (local.get $k) (local.get $bytes)))
        (local.set $i (v128.load (i32.add (local.get $dz) (local.get $k))))
        (v128.store (i32.add (local.get $bias) (local.get $k)) (f64x2.add (v128.load (i32.add (local.get $bias) (local.get $k))) (local.get $i)))
        (if (local.get $stage) (then
          (v128.store (i32.add (local.get $stage) (local.get $k)) (f64x2.add (v128.load (i32.add (local.get $stage) (local.get $k))) (local.get $i)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $gradLoop))))
)
