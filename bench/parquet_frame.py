#!/usr/bin/env python3
"""Gives the bench's random files the frame of a Parquet file, in place, so that the sync's footer check
(issue #23) reads and decodes each one as it would a real file instead of waving random bytes through.

    bench/parquet_frame.py DIR...    # every *.parquet file below each DIR

A framed file keeps its size and its random middle: it starts with PAR1 and ends with a minimal footer
(Thrift compact FileMetaData: version 1, a root schema element without children, num_rows = size / 32, no
row groups), the footer's length as 4 bytes little-endian, and PAR1. The frame is 32 to 36 bytes, so even
M1's 64-byte files take it; a file too small for it stays random and is counted. The footer depends only on
the size, so framing a file twice gives the same bytes; still, frame hard links to framed files (INCR) no
more, since the write would give the shared inode a new modification time.
"""
import os
import struct
import sys

MAGIC = b"PAR1"
# Thrift compact field types, and a field header: (field id delta << 4) | type.
I32, I64, BINARY, LIST, STRUCT = 5, 6, 8, 9, 12


def varint(n):
    out = bytearray()
    while n > 0x7F:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def field(delta, kind):
    return bytes([delta << 4 | kind])


def tail(num_rows):
    """The footer for num_rows, its length and the trailing magic."""
    root = (field(4, BINARY) + varint(6) + b"schema"  # 4: name
            + field(1, I32) + varint(zigzag(0))  # 5: num_children
            + b"\x00")
    footer = (field(1, I32) + varint(zigzag(1))  # 1: version
              + field(1, LIST) + bytes([1 << 4 | STRUCT]) + root  # 2: schema, one element
              + field(1, I64) + varint(zigzag(num_rows))  # 3: num_rows
              + field(1, LIST) + bytes([0 << 4 | STRUCT])  # 4: row_groups, none
              + b"\x00")
    return footer + struct.pack("<i", len(footer)) + MAGIC


def frame_tree(top, tails):
    """Frames the *.parquet files below top; returns (framed, too small)."""
    framed = small = 0
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name.endswith(".parquet") and entry.is_file(follow_symlinks=False):
                    fd = os.open(entry.path, os.O_WRONLY)
                    try:
                        size = os.fstat(fd).st_size
                        end = tails.get(size)
                        if end is None:
                            end = tails[size] = tail(size // 32)
                        if size < len(MAGIC) + len(end):
                            small += 1
                            continue
                        os.pwrite(fd, MAGIC, 0)
                        os.pwrite(fd, end, size - len(end))
                        framed += 1
                    finally:
                        os.close(fd)
    return framed, small


def main(args):
    if not args:
        sys.exit("usage: parquet_frame.py DIR...")
    tails = {}
    for top in args:
        if not os.path.isdir(top):
            sys.exit("parquet_frame.py: not a directory: " + top)
        framed, small = frame_tree(top, tails)
        note = f", {small} too small for the frame left random" if small else ""
        print(f"[bench] framed {framed} files in {top} as Parquet{note}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
