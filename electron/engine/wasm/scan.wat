;; Byte scans over inflated evidence, 16 bytes per instruction (WebAssembly SIMD). Compiled by
;; `npm run wasm` into scanWasm.ts; a test checks that the two agree. scan.ts is the only caller.
;;
;; JavaScript copies a file's text into this memory at offset 0, followed by 64 zero bytes (a zero is
;; not a JSON structural byte, so reading a whole 64-byte block past the end is harmless).
(module
  (memory (export "memory") 1)

  ;; The 64-bit mask of the bytes of a 64-byte block (four vectors) equal to the byte splatted in $c.
  (func $mask (param $v0 v128) (param $v1 v128) (param $v2 v128) (param $v3 v128) (param $c v128) (result i64)
    (i64.or
      (i64.or
        (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v0) (local.get $c))))
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v1) (local.get $c)))) (i64.const 16)))
      (i64.or
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v2) (local.get $c)))) (i64.const 32))
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v3) (local.get $c)))) (i64.const 48)))))

  ;; The elements of a JSON array whose first byte after `[` is at p, with at most n bytes to read.
  ;; Writes, from `out`: the offset of the array's closing byte, then (start, end) for each element
  ;; that is an object or an array; returns how many, or -1 when the array does not close within n
  ;; bytes, -2 when there are more than `max`. Brackets are only counted, not matched: whoever uses the
  ;; result has JSON.parse confirm it. Strings are skipped, with their escapes (a quote preceded by an
  ;; odd run of backslashes does not end one).
  (func (export "elements") (param $p i32) (param $n i32) (param $out i32) (param $max i32) (result i32)
    (local $end i32) (local $depth i32) (local $count i32) (local $start i32) (local $pos i32) (local $w i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $bs i64) (local $q i64) (local $open i64) (local $close i64)
    (local $esc i64) (local $carry i64) (local $inStr i64) (local $x i64) (local $st i64) (local $bit i64)
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (local.set $w (i32.add (local.get $out) (i32.const 4)))
    (loop $block
      (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
      (local.set $v0 (v128.load offset=0 (local.get $p)))
      (local.set $v1 (v128.load offset=16 (local.get $p)))
      (local.set $v2 (v128.load offset=32 (local.get $p)))
      (local.set $v3 (v128.load offset=48 (local.get $p)))
      (local.set $bs (call $mask (local.get $v0) (local.get $v1) (local.get $v2) (local.get $v3) (i8x16.splat (i32.const 92))))
      (local.set $q (call $mask (local.get $v0) (local.get $v1) (local.get $v2) (local.get $v3) (i8x16.splat (i32.const 34))))
      ;; `{` 0x7b and `[` 0x5b differ only in bit 0x20, as do `}` 0x7d and `]` 0x5d.
      (local.set $v0 (v128.or (local.get $v0) (i8x16.splat (i32.const 0x20))))
      (local.set $v1 (v128.or (local.get $v1) (i8x16.splat (i32.const 0x20))))
      (local.set $v2 (v128.or (local.get $v2) (i8x16.splat (i32.const 0x20))))
      (local.set $v3 (v128.or (local.get $v3) (i8x16.splat (i32.const 0x20))))
      (local.set $open (call $mask (local.get $v0) (local.get $v1) (local.get $v2) (local.get $v3) (i8x16.splat (i32.const 0x7b))))
      (local.set $close (call $mask (local.get $v0) (local.get $v1) (local.get $v2) (local.get $v3) (i8x16.splat (i32.const 0x7d))))
      ;; Escaped bytes: each backslash not itself escaped escapes the next byte (across blocks via $carry).
      (local.set $esc (local.get $carry))
      (local.set $carry (i64.const 0))
      (local.set $x (local.get $bs))
      (block $escapes
        (loop $backslash
          (br_if $escapes (i64.eqz (local.get $x)))
          (local.set $bit (i64.and (local.get $x) (i64.sub (i64.const 0) (local.get $x))))
          (if (i64.eqz (i64.and (local.get $esc) (local.get $bit)))
            (then
              (local.set $esc (i64.or (local.get $esc) (i64.shl (local.get $bit) (i64.const 1))))
              (if (i64.lt_s (local.get $bit) (i64.const 0)) (then (local.set $carry (i64.const 1))))))
          (local.set $x (i64.xor (local.get $x) (local.get $bit)))
          (br $backslash)))
      ;; Inside a string: the prefix XOR of the unescaped quotes, continued from the previous block.
      (local.set $x (i64.and (local.get $q) (i64.xor (local.get $esc) (i64.const -1))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 1))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 2))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 4))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 8))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 16))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 32))))
      (local.set $x (i64.xor (local.get $x) (local.get $inStr)))
      (local.set $inStr (i64.shr_s (local.get $x) (i64.const 63)))
      (local.set $st (i64.and (i64.or (local.get $open) (local.get $close)) (i64.xor (local.get $x) (i64.const -1))))
      (block $structural
        (loop $each
          (br_if $structural (i64.eqz (local.get $st)))
          (local.set $bit (i64.and (local.get $st) (i64.sub (i64.const 0) (local.get $st))))
          (local.set $pos (i32.add (local.get $p) (i32.wrap_i64 (i64.ctz (local.get $st)))))
          (if (i32.ge_u (local.get $pos) (local.get $end)) (then (return (i32.const -1))))
          (if (i64.ne (i64.and (local.get $open) (local.get $bit)) (i64.const 0))
            (then
              (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
              (if (i32.eq (local.get $depth) (i32.const 1)) (then (local.set $start (local.get $pos)))))
            (else
              (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
              (if (i32.lt_s (local.get $depth) (i32.const 0))
                (then
                  (i32.store (local.get $out) (local.get $pos))
                  (return (local.get $count))))
              (if (i32.eqz (local.get $depth))
                (then
                  (if (i32.ge_u (local.get $count) (local.get $max)) (then (return (i32.const -2))))
                  (i32.store (local.get $w) (local.get $start))
                  (i32.store offset=4 (local.get $w) (i32.add (local.get $pos) (i32.const 1)))
                  (local.set $w (i32.add (local.get $w) (i32.const 8)))
                  (local.set $count (i32.add (local.get $count) (i32.const 1)))))))
          (local.set $st (i64.xor (local.get $st) (local.get $bit)))
          (br $each)))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br $block))
    (unreachable)))
