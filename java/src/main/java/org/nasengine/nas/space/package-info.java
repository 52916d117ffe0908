/**
 * Architecture descriptions: the three JSON forms of spec/architectures.md as immutable values
 * ({@link org.nasengine.nas.space.MacroCnn}, {@link org.nasengine.nas.space.NasNet},
 * {@link org.nasengine.nas.space.RnnCell}), valid by construction, and their one codec
 * ({@link org.nasengine.nas.space.ArchitectureCodec}).
 */
package org.nasengine.nas.space;
