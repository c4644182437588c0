// The input specifications of the built-in input types, as constructor files write them.
import { z } from "zod";

const common = {
  mediaType: z.string().min(1).optional(),
  compress: z.boolean().optional(),
};

export const fileInputSchema = z.looseObject({ type: z.string(), path: z.string().min(1), ...common });
export const dirInputSchema = z.looseObject({
  type: z.string(),
  path: z.string().min(1),
  ...common,
  includeFiles: z.array(z.string()).optional(),
  excludeFiles: z.array(z.string()).optional(),
  preserveDir: z.boolean().optional(),
  followSymlinks: z.boolean().optional(),
});
export const utf8InputSchema = z.looseObject({ type: z.string(), text: z.string(), ...common });
export const binaryInputSchema = z.looseObject({ type: z.string(), data: z.base64(), ...common });

export type FileInput = z.infer<typeof fileInputSchema>;
export type DirInput = z.infer<typeof dirInputSchema>;
export type Utf8Input = z.infer<typeof utf8InputSchema>;
export type BinaryInput = z.infer<typeof binaryInputSchema>;
