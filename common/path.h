/* SPDX-License-Identifier: MIT */
/*
 * common/path.h - file identity for output clash checks.
 */
#ifndef MPCSIM_COMMON_PATH_H
#define MPCSIM_COMMON_PATH_H

/*
 * 1 when `a` and `b` name the same file: both "-" (stdout), or the same
 * file on disk (same device and inode), or, for paths that do not exist
 * yet, the same absolute path once the parent directory is resolved;
 * otherwise 0.
 */
int mpcsim_same_path(const char *a, const char *b);

#endif /* MPCSIM_COMMON_PATH_H */
