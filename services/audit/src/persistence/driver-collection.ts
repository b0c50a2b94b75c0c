import type { Model, mongo } from 'mongoose';

/** The driver's collection behind a model, for the few reads and deletes the kit's stores do not offer (as the kit reaches it). */
export function driverCollection<T extends mongo.Document>(model: Model<T>): mongo.Collection<T> {
  const db = model.db.db;
  if (!db) throw new Error(`the connection of ${model.modelName} is not open`);
  return db.collection<T>(model.collection.collectionName);
}
