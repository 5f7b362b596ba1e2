// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

using namespace feedz;

namespace {

// Sets the process umask for the scope of a test.
class UmaskGuard {
public:
    explicit UmaskGuard(mode_t mask)
        : m_old(::umask(mask)) {}

    UmaskGuard(const UmaskGuard&) = delete;
    UmaskGuard& operator=(const UmaskGuard&) = delete;

    ~UmaskGuard() { ::umask(m_old); }

private:
    mode_t m_old;
};

void write_plain(const std::string& path, const std::string& content, mode_t mode) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    REQUIRE(::fchmod(fd, mode) == 0);
    ::close(fd);
}

std::optional<std::string> content_of(const std::string& path) {
    auto content = read_file(path);
    REQUIRE(content.has_value());
    return *content;
}

mode_t mode_of(const std::string& path) {
    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

bool is_symlink(const std::string& path) {
    struct stat st {};

    return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

AtomicFile opened(const std::string& path, mode_t mode) {
    auto file = AtomicFile::open(path, mode);
    if (!file) {
        INFO("error: " << file.error().message);
        REQUIRE(file.has_value());
    }
    return std::move(*file);
}

} // namespace

// --- read_file ---

TEST_CASE("read_file: a missing file is an empty optional, not an error", "[util][file]") {
    ScratchDirectory dir;
    auto content = read_file(dir.path("missing.txt"));
    REQUIRE(content.has_value());
    CHECK_FALSE(content->has_value());
}

TEST_CASE("read_file: returns every byte of a file", "[util][file]") {
    ScratchDirectory dir;
    std::string binary("line 1\r\n\0\xff\xfe end", 15);
    write_plain(dir.path("data.bin"), binary, 0644);
    CHECK(content_of(dir.path("data.bin")) == binary);
    write_plain(dir.path("empty"), "", 0644);
    CHECK(content_of(dir.path("empty")) == std::string());
    // Larger than the read buffer.
    std::string large(100'000, 'x');
    for (std::size_t i = 0; i < large.size(); i += 7) {
        large[i] = static_cast<char>('a' + i % 26);
    }
    write_plain(dir.path("large"), large, 0644);
    CHECK(content_of(dir.path("large")) == large);
}

TEST_CASE("read_file: a directory is an io_error naming the path", "[util][file]") {
    ScratchDirectory dir;
    auto content = read_file(dir.path());
    REQUIRE_FALSE(content.has_value());
    CHECK(content.error().code == Errc::io_error);
    CHECK_THAT(content.error().message, Catch::Contains(dir.path()));
}

TEST_CASE("read_file: a FIFO is refused at once instead of waiting for a writer", "[util][file]") {
    ScratchDirectory dir;
    std::string fifo = dir.path("NuGet.Config");
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    auto content = read_file(fifo);
    REQUIRE_FALSE(content.has_value());
    CHECK_THAT(content.error().message, Catch::Contains(fifo + " is not a regular file (a FIFO)"));
    auto secret = read_secret_file(fifo);
    REQUIRE_FALSE(secret.has_value());
    CHECK_THAT(secret.error().message, Catch::Contains("is not a regular file (a FIFO)"));
}

TEST_CASE("read_file: a symlink to /dev/zero is refused, not read until memory runs out",
          "[util][file]") {
    ScratchDirectory dir;
    std::string link = dir.path(".npmrc");
    REQUIRE(::symlink("/dev/zero", link.c_str()) == 0);
    auto content = read_file(link);
    REQUIRE_FALSE(content.has_value());
    CHECK_THAT(content.error().message, Catch::Contains("is not a regular file (a device)"));
}

TEST_CASE("read_file: a file over the size cap is refused; one at the cap is read",
          "[util][file]") {
    ScratchDirectory dir;
    std::string path = dir.path("huge");
    write_plain(path, "", 0644);
    REQUIRE(::truncate(path.c_str(), static_cast<off_t>(k_max_config_file_size + 1)) == 0);
    auto content = read_file(path);
    REQUIRE_FALSE(content.has_value());
    CHECK_THAT(content.error().message, Catch::Contains("is larger than 16 MiB"));
    CHECK_FALSE(read_secret_file(path).has_value());
    REQUIRE(::truncate(path.c_str(), static_cast<off_t>(k_max_config_file_size)) == 0);
    auto at_cap = read_file(path);
    REQUIRE(at_cap.has_value());
    CHECK((*at_cap)->size() == k_max_config_file_size);
}

TEST_CASE("read_file: a missing parent directory is still just missing", "[util][file]") {
    ScratchDirectory dir;
    auto content = read_file(dir.path("no/such/dir/file"));
    REQUIRE(content.has_value());
    CHECK_FALSE(content->has_value());
}

// --- AtomicFile ---

TEST_CASE("AtomicFile: a new file gets the default mode and the content", "[util][file]") {
    ScratchDirectory dir;
    UmaskGuard umask(022);
    auto mode = GENERATE(mode_t(0600), mode_t(0640), mode_t(0644));
    const std::string path = dir.path("new.conf");
    AtomicFile file = opened(path, mode);
    REQUIRE(file.write("hello ").has_value());
    REQUIRE(file.write("world\n").has_value());
    REQUIRE(file.commit().has_value());
    CHECK(content_of(path) == "hello world\n");
    CHECK(mode_of(path) == mode);
    CHECK(dir.entries() == std::vector<std::string>{"new.conf"});
}

TEST_CASE("AtomicFile: the default mode is applied exactly, whatever the umask", "[util][file]") {
    ScratchDirectory dir;
    UmaskGuard umask(077);
    const std::string path = dir.path("new.conf");
    REQUIRE(write_file_atomically(path, "x", 0644).has_value());
    CHECK(mode_of(path) == 0644);
}

TEST_CASE("AtomicFile: an existing file keeps its mode", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("existing.conf");
    auto mode = GENERATE(mode_t(0604), mode_t(0600), mode_t(0755), mode_t(0440));
    write_plain(path, "old content\n", mode);
    AtomicFile file = opened(path, 0600);
    REQUIRE(file.write("new content\n").has_value());
    REQUIRE(file.commit().has_value());
    CHECK(content_of(path) == "new content\n");
    CHECK(mode_of(path) == mode);
    CHECK(dir.entries() == std::vector<std::string>{"existing.conf"});
}

TEST_CASE("AtomicFile: the file is replaced, not rewritten in place", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("config");
    write_plain(path, "old\n", 0644);

    struct stat before {};

    REQUIRE(::stat(path.c_str(), &before) == 0);
    // A reader that opened the old file keeps seeing the old content.
    int reader = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(reader >= 0);
    REQUIRE(write_file_atomically(path, "new and longer\n", 0600).has_value());
    char buffer[64] = {};
    CHECK(::read(reader, buffer, sizeof(buffer)) == 4);
    CHECK(std::string(buffer) == "old\n");
    ::close(reader);

    struct stat after {};

    REQUIRE(::stat(path.c_str(), &after) == 0);
    CHECK(after.st_ino != before.st_ino);
    CHECK(content_of(path) == "new and longer\n");
}

TEST_CASE("AtomicFile: until commit the target keeps its old content and the temporary sits "
          "beside it",
          "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("target.txt");
    write_plain(path, "old\n", 0644);
    AtomicFile file = opened(path, 0600);
    REQUIRE(file.write("new\n").has_value());
    CHECK(content_of(path) == "old\n");
    auto entries = dir.entries();
    REQUIRE(entries.size() == 2);
    CHECK(entries[0] == "target.txt");
    CHECK_THAT(entries[1], Catch::StartsWith("target.txt.tmp."));
    REQUIRE(file.commit().has_value());
    CHECK(content_of(path) == "new\n");
    CHECK(dir.entries() == std::vector<std::string>{"target.txt"});
}

namespace {

// The pid of a child that has exited and been reaped: a pid no process has (until reused).
pid_t pid_of_a_finished_process() {
    pid_t child = ::fork();
    if (child == 0) {
        ::_exit(0);
    }
    REQUIRE(child > 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    return child;
}

void make_older(const std::string& path, std::chrono::seconds age) {
    auto then = std::chrono::system_clock::now() - age;
    struct timespec times[2];
    times[0].tv_sec = std::chrono::system_clock::to_time_t(then);
    times[0].tv_nsec = 0;
    times[1] = times[0];
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

} // namespace

TEST_CASE("AtomicFile: the temporary's name holds the writer's pid", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("target.txt");
    AtomicFile file = opened(path, 0600);
    auto entries = dir.entries();
    REQUIRE(entries.size() == 1);
    CHECK_THAT(entries[0], Catch::StartsWith("target.txt.tmp." + std::to_string(::getpid()) + "."));
    CHECK(entries[0].size()
          == std::string("target.txt.tmp.").size() + std::to_string(::getpid()).size() + 1 + 6);
}

TEST_CASE("AtomicFile: temporaries a killed writer left are removed; nothing else is",
          "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("NuGet.Config");
    write_plain(path, "old\n", 0644);
    const std::string dead = std::to_string(pid_of_a_finished_process());
    const std::string alive = std::to_string(::getppid());
    std::vector<std::string> stale = {
        "NuGet.Config.tmp." + dead + ".aB3xYz",  // its writer is gone
        "NuGet.Config.tmp." + alive + ".Qw12eR", // hours old: that pid is another process now
    };
    std::vector<std::string> kept = {
        "NuGet.Config.tmp." + alive + ".aB3xYz", // its writer may still be writing
        "NuGet.Config.tmp.Zx98cV",               // the form without a pid, which "backup" also has
        "NuGet.Config.tmp." + dead + ".aB3xYz.mine",
        "NuGet.Config.tmp." + dead + ".short",
        "NuGet.Config.tmp.backup",
        "NuGet.Config.tmp",
        "other.txt.tmp." + dead + ".aB3xYz", // another file's temporary
        "NuGet.Config.bak",
    };
    for (const auto& name : stale) {
        write_plain(dir.path(name), "left over\n", 0600);
        make_older(dir.path(name), std::chrono::hours(2));
    }
    for (const auto& name : kept) {
        write_plain(dir.path(name), "keep\n", 0600);
    }
    make_older(dir.path("NuGet.Config.tmp." + dead + ".aB3xYz.mine"), std::chrono::hours(2));
    make_older(dir.path("NuGet.Config.tmp.backup"), std::chrono::hours(2));
    make_older(dir.path("NuGet.Config.tmp.Zx98cV"), std::chrono::hours(2));
    REQUIRE(feedz::write_file_atomically(path, "new\n", 0644));
    kept.push_back("NuGet.Config");
    std::sort(kept.begin(), kept.end());
    CHECK(dir.entries() == kept);
    CHECK(content_of(path) == "new\n");
}

TEST_CASE("check_replaceable: a read-only file is refused", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("NuGet.Config");
    write_plain(path, "old\n", 0444);
    auto file = feedz::check_replaceable(path);
    REQUIRE_FALSE(file);
    CHECK_THAT(file.error().message, Catch::Contains(path + " is read-only (mode 0444)"));
    CHECK(content_of(path) == "old\n");
    CHECK(mode_of(path) == 0444);
    CHECK(dir.entries() == std::vector<std::string>{"NuGet.Config"});
}

TEST_CASE("AtomicFile: root replacing another user's file gives it back its owner and group",
          "[util][file]") {
    if (::geteuid() != 0) {
        SUCCEED("needs root; the refusal for other users is tested in config_write_failures");
        return;
    }
    ScratchDirectory dir;
    const std::string path = dir.path("NuGet.Config");
    write_plain(path, "old\n", 0640);
    REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
    REQUIRE(feedz::write_file_atomically(path, "new\n", 0644));

    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK(st.st_uid == 65534);
    CHECK(st.st_gid == 65534);
    CHECK((st.st_mode & 07777) == 0640);
    CHECK(content_of(path) == "new\n");
}

TEST_CASE("AtomicFile: an uncommitted new file leaves no temporary and no file", "[util][file]") {
    ScratchDirectory dir;
    {
        AtomicFile file = opened(dir.path("never.txt"), 0600);
        REQUIRE(file.write("discarded").has_value());
        CHECK(dir.entries().size() == 1); // the temporary
    }
    CHECK(dir.entries().empty());
    auto content = read_file(dir.path("never.txt"));
    REQUIRE(content.has_value());
    CHECK_FALSE(content->has_value());
}

TEST_CASE("AtomicFile: an uncommitted write leaves an existing file as it was", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("keep.txt");
    write_plain(path, "precious\n", 0640);
    {
        AtomicFile file = opened(path, 0600);
        REQUIRE(file.write("garbage").has_value());
    }
    CHECK(dir.entries() == std::vector<std::string>{"keep.txt"});
    CHECK(content_of(path) == "precious\n");
    CHECK(mode_of(path) == 0640);
}

TEST_CASE("AtomicFile: a symlinked target is written through and the link stays a link",
          "[util][file]") {
    ScratchDirectory dir;
    REQUIRE(::mkdir(dir.path("repo").c_str(), 0755) == 0);
    REQUIRE(::mkdir(dir.path("home").c_str(), 0755) == 0);
    const std::string target = dir.path("repo/dotfile");
    const std::string link = dir.path("home/.dotfile");
    write_plain(target, "old\n", 0640);
    REQUIRE(::symlink("../repo/dotfile", link.c_str()) == 0);

    AtomicFile file = opened(link, 0600);
    REQUIRE(file.write("new\n").has_value());
    // The temporary is created next to the real file, so the rename stays on its filesystem.
    CHECK(dir.entries("home") == std::vector<std::string>{".dotfile"});
    CHECK(dir.entries("repo").size() == 2);
    REQUIRE(file.commit().has_value());

    CHECK(is_symlink(link));
    char buffer[256] = {};
    REQUIRE(::readlink(link.c_str(), buffer, sizeof(buffer) - 1) > 0);
    CHECK(std::string(buffer) == "../repo/dotfile");
    CHECK(content_of(target) == "new\n");
    CHECK(content_of(link) == "new\n");
    CHECK(mode_of(target) == 0640);
    CHECK(dir.entries("repo") == std::vector<std::string>{"dotfile"});
}

TEST_CASE("AtomicFile: a chain of symlinks is followed to the real file", "[util][file]") {
    ScratchDirectory dir;
    const std::string target = dir.path("real");
    write_plain(target, "old\n", 0600);
    REQUIRE(::symlink(target.c_str(), dir.path("link1").c_str()) == 0);
    REQUIRE(::symlink("link1", dir.path("link2").c_str()) == 0);
    REQUIRE(write_file_atomically(dir.path("link2"), "new\n", 0644).has_value());
    CHECK(is_symlink(dir.path("link1")));
    CHECK(is_symlink(dir.path("link2")));
    CHECK(content_of(target) == "new\n");
    CHECK(mode_of(target) == 0600);
    CHECK(dir.entries() == std::vector<std::string>{"link1", "link2", "real"});
}

TEST_CASE("AtomicFile: large content is written completely", "[util][file]") {
    ScratchDirectory dir;
    std::string data;
    for (int i = 0; data.size() < 3'000'000; ++i) {
        data += "line " + std::to_string(i) + "\n";
    }
    REQUIRE(write_file_atomically(dir.path("big"), data, 0600).has_value());
    CHECK(content_of(dir.path("big")) == data);
}

TEST_CASE("AtomicFile: a moved AtomicFile commits and the moved-from one removes nothing",
          "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("moved.txt");
    std::optional<AtomicFile> first(opened(path, 0600));
    AtomicFile second = std::move(*first);
    first.reset();
    CHECK(dir.entries().size() == 1); // the temporary survived the moved-from destructor
    REQUIRE(second.write("moved\n").has_value());
    REQUIRE(second.commit().has_value());
    CHECK(content_of(path) == "moved\n");
    CHECK(dir.entries() == std::vector<std::string>{"moved.txt"});
}

// Move assignment over an uncommitted AtomicFile drops that file's descriptor; its temporary
// must go too ("An uncommitted AtomicFile removes its temporary").
TEST_CASE("AtomicFile: move-assigning over an uncommitted AtomicFile removes its temporary",
          "[util][file]") {
    ScratchDirectory dir;
    {
        AtomicFile a = opened(dir.path("a.txt"), 0600);
        AtomicFile b = opened(dir.path("b.txt"), 0600);
        CHECK(dir.entries().size() == 2);
        a = std::move(b);
    }
    CHECK(dir.entries().empty());
}

TEST_CASE("AtomicFile: a missing directory is an io_error naming the path", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("no/such/dir/file.txt");
    auto file = AtomicFile::open(path, 0600);
    REQUIRE_FALSE(file.has_value());
    CHECK(file.error().code == Errc::io_error);
    CHECK_THAT(file.error().message, Catch::Contains(path));
    CHECK(write_file_atomically(path, "x", 0600).error().code == Errc::io_error);
}

TEST_CASE("AtomicFile: committing over a directory fails and leaves no temporary", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("subdir");
    REQUIRE(::mkdir(path.c_str(), 0755) == 0);
    REQUIRE(::mkdir(dir.path("subdir/child").c_str(), 0755) == 0);
    auto written = write_file_atomically(path, "x", 0600);
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error().code == Errc::io_error);
    CHECK(dir.entries() == std::vector<std::string>{"subdir"});
}

// --- make_directories, parent_directory, resolve_symlinks ---

TEST_CASE("make_directories: creates missing parents with the mode and leaves existing ones",
          "[util][file]") {
    ScratchDirectory dir;
    UmaskGuard umask(022);
    REQUIRE(::mkdir(dir.path("existing").c_str(), 0755) == 0);
    const std::string path = dir.path("existing/a/b/c");
    REQUIRE(make_directories(path, 0700).has_value());
    CHECK(mode_of(dir.path("existing")) == 0755);
    CHECK(mode_of(dir.path("existing/a")) == 0700);
    CHECK(mode_of(dir.path("existing/a/b")) == 0700);
    CHECK(mode_of(path) == 0700);
    // Again: nothing to do.
    REQUIRE(make_directories(path, 0755).has_value());
    CHECK(mode_of(path) == 0700);
    CHECK(make_directories("", 0700).has_value());
}

TEST_CASE("make_directories: a file in the way is an io_error", "[util][file]") {
    ScratchDirectory dir;
    write_plain(dir.path("file"), "x", 0600);
    auto made = make_directories(dir.path("file"), 0700);
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error().code == Errc::io_error);
    CHECK_THAT(made.error().message, Catch::Contains("not a directory"));
    auto below = make_directories(dir.path("file/sub"), 0700);
    REQUIRE_FALSE(below.has_value());
    CHECK(below.error().code == Errc::io_error);
}

TEST_CASE("parent_directory: the directory part of a path", "[util][file]") {
    CHECK(parent_directory("a/b/c") == "a/b");
    CHECK(parent_directory("/a/b") == "/a");
    CHECK(parent_directory("/a") == "/");
    CHECK(parent_directory("file") == ".");
    CHECK(parent_directory("") == ".");
}

TEST_CASE("resolve_symlinks: resolves links and leaves missing files alone", "[util][file]") {
    ScratchDirectory dir;
    write_plain(dir.path("real"), "x", 0600);
    REQUIRE(::symlink("real", dir.path("link").c_str()) == 0);
    const std::string real = std::filesystem::canonical(dir.path("real")).string();
    CHECK(resolve_symlinks(dir.path("link")) == real);
    CHECK(resolve_symlinks(dir.path("real")) == real);
    CHECK(resolve_symlinks(dir.path("missing")) == dir.path("missing"));
}

// --- FileLock ---

TEST_CASE("FileLock: a second lock on the same file fails while the first is held",
          "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("config.lock");
    auto first = FileLock::try_acquire(path);
    REQUIRE(first.has_value());
    REQUIRE(first->has_value());
    CHECK(mode_of(path) == 0600);

    // A separate open file description, as another process would have.
    auto second = FileLock::try_acquire(path);
    REQUIRE(second.has_value());
    CHECK_FALSE(second->has_value());

    first->reset();
    auto third = FileLock::try_acquire(path);
    REQUIRE(third.has_value());
    CHECK(third->has_value());
}

TEST_CASE("FileLock: acquire times out while another holder keeps the lock", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("config.lock");
    auto held = FileLock::acquire(path, 0);
    REQUIRE(held.has_value());
    auto start = std::chrono::steady_clock::now();
    auto waited = FileLock::acquire(path, 100);
    auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(waited.has_value());
    CHECK(waited.error().code == Errc::timeout);
    CHECK_THAT(waited.error().message, Catch::Contains(path));
    CHECK(elapsed >= std::chrono::milliseconds(100));
    CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("FileLock: acquire gets the lock once the holder releases it", "[util][file]") {
    ScratchDirectory dir;
    const std::string path = dir.path("config.lock");
    auto held = FileLock::try_acquire(path);
    REQUIRE(held.has_value());
    REQUIRE(held->has_value());
    std::optional<FileLock> holder = std::move(**held);
    std::thread releaser([&holder] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        holder.reset();
    });
    auto start = std::chrono::steady_clock::now();
    auto lock = FileLock::acquire(path, 5000);
    auto elapsed = std::chrono::steady_clock::now() - start;
    releaser.join();
    REQUIRE(lock.has_value());
    CHECK(lock->fd() >= 0);
    CHECK(elapsed >= std::chrono::milliseconds(50));
    CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("FileLock: a lock file in a missing directory is an io_error", "[util][file]") {
    ScratchDirectory dir;
    auto lock = FileLock::try_acquire(dir.path("missing/x.lock"));
    REQUIRE_FALSE(lock.has_value());
    CHECK(lock.error().code == Errc::io_error);
    auto waited = FileLock::acquire(dir.path("missing/x.lock"), 50);
    REQUIRE_FALSE(waited.has_value());
    CHECK(waited.error().code == Errc::io_error);
}
