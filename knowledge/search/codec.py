"""A whoosh codec whose posting blocks load as arrays.

whoosh 2.7 pickles each block of postings (protocol 2) as tuples of Python
ints and floats, so reading a block builds an object per posting: for a word
in half of 100k documents that was most of a search's time. Here a block's
document-number deltas and weights are typed arrays pickled with protocol 5,
which load as one copy of bytes. whoosh's own readers iterate and index them
as they did the tuples, so indexes written either way stay readable.
"""

import pickle
import zlib
from array import array

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

_ID_TYPES = (("B", 0xFF), ("H", 0xFFFF), ("I", 0xFFFFFFFF))


class ArrayCodec(W3Codec):
    def postings_writer(self, dbfile, byteids=False):
        return ArrayPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class ArrayPostingsWriter(W3PostingsWriter):
    def _mini_ids(self):
        if self._byteids:
            return super()._mini_ids()
        ids = np.frombuffer(self._ids, dtype=np.uint32)
        deltas = np.diff(ids, prepend=np.uint32(0))
        typecode = next(code for code, top in _ID_TYPES if int(deltas.max()) <= top)
        return array(typecode, deltas.astype(typecode).tobytes())

    def _mini_weights(self):
        weights = np.frombuffer(self._weights, dtype=np.float32)
        if (weights == 1.0).all():
            return None
        if (weights == weights[0]).all():
            return float(weights[0])
        return array("f", self._weights)

    def _write_block(self, last=False):
        # W3PostingsWriter._write_block with pickle protocol 5 (arrays as
        # bytes) instead of 2 (arrays as lists); the layout is unchanged.
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = pickle.dumps(data, 5)
        comp = self._compression
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        info = (
            len(ids),
            ids[-1],
            self._maxweight,
            comp,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = pickle.dumps(info, 2)
        blocklength = len(infobytes) + len(databytes)
        # The last block's length is written negative.
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()
