/**
 * The reply schemas of the privacy routes; the stored erasure record is the reply itself.
 */
import type * as z from 'zod';
import { Erasure } from './privacy';
import { type Same, sameShape } from './same-shape';

/** `POST /privacy/erasures` (202) and `GET /privacy/erasures/{erasureId}`. */
export const ErasureResponse = Erasure;

sameShape<Same<z.output<typeof ErasureResponse>, Erasure>>(true);
