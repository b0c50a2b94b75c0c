import type { Model, mongo } from 'mongoose';

/**
 * The driver's collection behind a mongoose model, typed by its documents: mongoose keeps
 * the schema and indexes, the stores read and write with the driver (lean, one round trip,
 * and filters typed against the document).
 */
export function nativeCollection<T extends mongo.Document>(model: Model<T>): mongo.Collection<T> {
  const db = model.db.db;
  if (!db) throw new Error(`the connection of ${model.modelName} is not open`);
  return db.collection<T>(model.collection.collectionName);
}
