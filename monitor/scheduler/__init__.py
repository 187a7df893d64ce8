"""``monitor schedule``: crawl and digest jobs on cron triggers, each run as a child process."""
